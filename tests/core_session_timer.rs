//! Session timers (RFC 4028) on one core with a fake clock: the interval
//! and refresher negotiated on INVITE and UPDATE (422 below Min-SE), the
//! peer refreshing (UPDATE, re-INVITE) and then falling silent (BYE at
//! the expiry, counted `session_expired`), and us refreshing (UPDATE at
//! half the interval, lost and retransmitted, never answered).

mod common;

use std::time::Duration;

use common::*;
use sipbench::core::{CoreConfig, EventKind, SessionTimerConfig};
use sipbench::dialog::EndReason;
use sipbench::sip::Message;

fn st(we_refresh: bool) -> SessionTimerConfig {
    SessionTimerConfig {
        session_expires: Duration::from_secs(1800),
        min_se: Duration::from_secs(90),
        we_refresh,
    }
}

fn harness(cfg: Option<SessionTimerConfig>) -> Harness {
    Harness::new(CoreConfig { session_timer: cfg, ..CoreConfig::default() })
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// INVITE with these extra headers, answered 200 and ACKed: the 200.
fn establish(h: &mut Harness, c: &mut UacCall, extra: &str) -> Message {
    let out = h.send(c.invite_with(extra, Some(("application/sdp", &pcmu_offer()))));
    let ok = only(&out, "200 INVITE").clone();
    c.learn_tag(&ok);
    assert!(h.send(c.ack_2xx(1)).is_empty());
    ok
}

/// A refresh from the peer: UPDATE without a body, with Session-Expires.
fn update(c: &mut UacCall, se: &str) -> bytes::Bytes {
    c.cseq += 1;
    let b = c.new_branch();
    c.request("UPDATE", &b, c.cseq, &format!("Session-Expires: {se}\r\nSupported: timer\r\n"), None)
}

fn ended(h: &mut Harness) -> Option<EndReason> {
    h.take_events().into_iter().find_map(|e| match e {
        EventKind::Terminated { reason, .. } => Some(reason),
        _ => None,
    })
}

#[test]
fn the_peer_refreshes_with_update_then_falls_silent_and_gets_bye_at_expiry() {
    let mut h = harness(Some(st(false)));
    let mut c = UacCall::new(1);
    let ok = establish(&mut h, &mut c, "Supported: timer\r\nSession-Expires: 120;refresher=uac\r\n");
    assert_eq!(hdr(&ok, "Session-Expires"), Some("120;refresher=uac"));
    assert_eq!(hdr(&ok, "Require"), Some("timer"), "the caller supports timers: Require in the 2xx");
    // Refreshes every 60 s keep the call up well past the interval.
    for _ in 0..3 {
        assert!(h.advance(secs(60)).is_empty(), "nothing before the interval passes");
        let out = h.send(update(&mut c, "120;refresher=uac"));
        let r = only(&out, "200 UPDATE");
        assert_eq!(hdr(r, "Session-Expires"), Some("120;refresher=uac"));
    }
    // Silence: BYE 120 - min(32, 120/3) = 88 s after the last refresh.
    let start = h.elapsed();
    let (at, sent) = h.next_send(secs(200)).expect("a BYE");
    assert_eq!(labels(&sent), ["BYE"]);
    assert_eq!(at - start, secs(88));
    h.send(respond(&sent[0], 200, "OK"));
    assert_eq!(ended(&mut h), Some(EndReason::SessionExpired));
    assert_eq!(h.core.stats().failed_session_expired, 1);
    assert_eq!(h.core.stats().calls_failed(), 1);
    h.drain();
}

#[test]
fn a_refresh_by_reinvite_restarts_the_expiry_too() {
    let mut h = harness(Some(st(false)));
    let mut c = UacCall::new(1);
    establish(&mut h, &mut c, "Supported: timer\r\nSession-Expires: 90;refresher=uac\r\n");
    h.advance(secs(50));
    c.cseq += 1;
    let b = c.new_branch();
    let cseq = c.cseq;
    let reinvite = c.request(
        "INVITE",
        &b,
        cseq,
        "Supported: timer\r\nSession-Expires: 90;refresher=uac\r\n",
        Some(("application/sdp", &pcmu_offer())),
    );
    let out = h.send(reinvite);
    assert_eq!(hdr(only(&out, "200 INVITE"), "Session-Expires"), Some("90;refresher=uac"));
    assert!(h.send(c.ack_2xx(cseq)).is_empty());
    // 90 - 30 = 60 s after the refresh, not after the call began.
    assert!(h.advance(secs(59)).is_empty());
    let (at, sent) = h.next_send(secs(5)).expect("a BYE");
    assert_eq!((labels(&sent), at), (vec!["BYE".to_string()], secs(110)));
}

#[test]
fn intervals_below_min_se_get_422_on_invite_and_update() {
    let mut h = harness(Some(st(false)));
    let mut c = UacCall::new(1);
    let out = h.send(c.invite_with(
        "Supported: timer\r\nSession-Expires: 30\r\n",
        Some(("application/sdp", &pcmu_offer())),
    ));
    let r = only(&out, "422 INVITE");
    assert_eq!(hdr(r, "Min-SE"), Some("90"));
    assert_eq!(h.core.stats().calls_received, 0, "no call is made");
    c.learn_tag(r);
    assert!(h.send(c.ack_non2xx()).is_empty());
    // The caller retries with the Min-SE it was told.
    let mut c = UacCall::new(2);
    establish(&mut h, &mut c, "Supported: timer\r\nSession-Expires: 90\r\nMin-SE: 90\r\n");
    let out = h.send(update(&mut c, "60"));
    assert_eq!(hdr(only(&out, "422 UPDATE"), "Min-SE"), Some("90"));
}

#[test]
fn we_refresh_with_update_at_half_the_interval() {
    let mut h = harness(Some(st(false)));
    let mut c = UacCall::new(1);
    let ok = establish(&mut h, &mut c, "Supported: timer\r\nSession-Expires: 200;refresher=uas\r\n");
    assert_eq!(hdr(&ok, "Session-Expires"), Some("200;refresher=uas"));
    for round in 1..=3u64 {
        let (at, sent) = h.next_send(secs(200)).expect("our refresh");
        assert_eq!(at, secs(100 * round), "round {round}");
        let upd = only(&sent, "UPDATE");
        assert_eq!(hdr(upd, "Session-Expires"), Some("200;refresher=uac"), "we are the refresh's UAC");
        assert_eq!(hdr(upd, "Supported"), Some("timer"));
        assert!(upd.body().is_empty());
        h.send(respond(upd, 200, "OK"));
    }
    assert_eq!(h.core.stats().active_calls, 1, "refreshed calls stay up");
}

#[test]
fn a_lost_refresh_is_retransmitted_and_its_answer_counts() {
    let mut h = harness(Some(st(false)));
    let mut c = UacCall::new(1);
    establish(&mut h, &mut c, "Supported: timer\r\nSession-Expires: 100;refresher=uas\r\n");
    let (at, sent) = h.next_send(secs(100)).unwrap();
    assert_eq!((at, labels(&sent)), (secs(50), vec!["UPDATE".to_string()]));
    // Lost: the UPDATE goes again after T1, and again after 2·T1.
    let (at, again) = h.next_send(secs(1)).unwrap();
    assert_eq!((at, labels(&again)), (secs(50) + ms(500), vec!["UPDATE".to_string()]));
    let (at2, _) = h.next_send(secs(2)).unwrap();
    assert_eq!(at2, secs(51) + ms(500));
    h.send(respond(&again[0], 200, "OK"));
    // The next refresh is half an interval after the answer.
    let (at, sent) = h.next_send(secs(100)).unwrap();
    assert_eq!(labels(&sent), ["UPDATE"]);
    assert_eq!(at, secs(51) + ms(500) + secs(50));
}

#[test]
fn a_refresh_never_answered_ends_the_call() {
    let mut h = harness(Some(st(false)));
    let mut c = UacCall::new(1);
    establish(&mut h, &mut c, "Supported: timer\r\nSession-Expires: 100;refresher=uas\r\n");
    // Timer F (64·T1) passes without any answer: the dialog is gone.
    let sent = h.advance(secs(50) + secs(33));
    let bye = sent.iter().find(|(_, m)| label(m) == "BYE").expect("a BYE");
    h.send(respond(&bye.1, 200, "OK"));
    assert_eq!(ended(&mut h), Some(EndReason::RequestTimeout));
    h.drain();
}

#[test]
fn a_caller_without_timer_support_leaves_the_refresh_to_us() {
    let mut h = harness(Some(st(false)));
    let mut c = UacCall::new(1);
    let ok = establish(&mut h, &mut c, "Session-Expires: 300;refresher=uac\r\n");
    assert_eq!(hdr(&ok, "Session-Expires"), Some("300;refresher=uas"));
    assert_eq!(hdr(&ok, "Require"), None, "no Require for a caller that cannot support it");
    let (at, sent) = h.next_send(secs(300)).unwrap();
    assert_eq!((at, labels(&sent)), (secs(150), vec!["UPDATE".to_string()]));
}

#[test]
fn without_session_expires_ours_applies_and_the_configured_side_refreshes() {
    // The caller supports timers and leaves everything to us.
    let mut h = harness(Some(st(true)));
    let mut c = UacCall::new(1);
    let ok = establish(&mut h, &mut c, "Supported: timer\r\n");
    assert_eq!(hdr(&ok, "Session-Expires"), Some("1800;refresher=uas"));
    let mut h = harness(Some(st(false)));
    let mut c = UacCall::new(1);
    let ok = establish(&mut h, &mut c, "Supported: timer\r\nMin-SE: 2000\r\n");
    assert_eq!(hdr(&ok, "Session-Expires"), Some("2000;refresher=uac"), "never below the caller's Min-SE");
    // A longer interval than ours is lowered to ours.
    let mut c = UacCall::new(2);
    let ok = establish(&mut h, &mut c, "Supported: timer\r\nSession-Expires: 7200\r\n");
    assert_eq!(hdr(&ok, "Session-Expires"), Some("1800;refresher=uac"));
}

#[test]
fn require_timer_is_served_only_with_session_timers_on() {
    let mut h = harness(Some(st(false)));
    let mut c = UacCall::new(1);
    establish(&mut h, &mut c, "Require: timer\r\nSession-Expires: 120\r\n");
    let options = UacCall::new(9).request("OPTIONS", "z9hG4bK-opt", 1, "", None);
    assert_eq!(hdr(only(&h.send(options.clone()), "200 OPTIONS"), "Supported"), Some("100rel, timer"));
    let mut h = harness(None);
    let mut c = UacCall::new(1);
    let out = h.send(
        c.invite_with("Require: timer\r\nSession-Expires: 120\r\n", Some(("application/sdp", &pcmu_offer()))),
    );
    let r = only(&out, "420 INVITE");
    assert_eq!(hdr(r, "Unsupported"), Some("timer"));
    c.learn_tag(r);
    assert!(h.send(c.ack_non2xx()).is_empty());
    assert_eq!(hdr(only(&h.send(options), "200 OPTIONS"), "Supported"), Some("100rel"));
    // Off: Session-Expires is ignored, nothing is armed for it.
    let mut c = UacCall::new(2);
    let ok = establish(&mut h, &mut c, "Supported: timer\r\nSession-Expires: 90\r\n");
    assert_eq!(hdr(&ok, "Session-Expires"), None);
    assert!(h.advance(secs(600)).is_empty());
}

#[test]
fn the_engine_refuses_unusable_session_timer_settings() {
    let bad = SessionTimerConfig { session_expires: Duration::from_secs(30), ..st(false) };
    let e = sipbench::Config::builder().session_timer(bad).build().unwrap_err();
    assert_eq!(e.field, "session_timer");
    assert!(sipbench::Config::builder().session_timer(st(false)).build().is_ok());
}

#[test]
fn a_peer_that_does_not_allow_update_is_refreshed_by_reinvite() {
    let mut h = harness(Some(st(false)));
    let mut c = UacCall::new(1);
    let ok = establish(
        &mut h,
        &mut c,
        "Allow: INVITE, ACK, BYE, CANCEL\r\nSession-Expires: 100;refresher=uas\r\n",
    );
    let answer_version =
        String::from_utf8_lossy(ok.body()).lines().find(|l| l.starts_with("o=")).unwrap().to_owned();
    h.take_events();
    for round in 1..=2u64 {
        let (at, sent) = h.next_send(secs(100)).expect("our refresh");
        assert_eq!(at, secs(50 * round) + ms(2 * (round - 1)), "round {round}");
        let inv = only(&sent, "INVITE");
        assert_eq!(hdr(inv, "Session-Expires"), Some("100;refresher=uac"));
        let o = String::from_utf8_lossy(inv.body()).lines().find(|l| l.starts_with("o=")).unwrap().to_owned();
        assert_eq!(o, answer_version, "the same session: the SDP version stays");
        h.now += ms(2);
        let out = h.send(reply(inv, 200, None, "", Some(&pcmu_offer())));
        assert_eq!(labels(&out), ["ACK"], "the refresh's 2xx is ACKed");
    }
    let events = h.take_events();
    assert!(
        !events.iter().any(|e| matches!(e, EventKind::Held | EventKind::Resumed)),
        "a refresh changes no hold state: {events:?}"
    );
}

#[test]
fn hostile_intervals_neither_panic_nor_pass_unchecked() {
    let mut h = harness(Some(st(false)));
    // An interval beyond u32 is no interval: ours applies.
    let mut c = UacCall::new(1);
    let ok = establish(&mut h, &mut c, "Supported: timer\r\nSession-Expires: 99999999999\r\n");
    assert_eq!(hdr(&ok, "Session-Expires"), Some("1800;refresher=uac"));
    // The largest Min-SE is honoured (never below it), far in the future.
    let mut c = UacCall::new(2);
    let ok = establish(&mut h, &mut c, "Supported: timer\r\nMin-SE: 4294967295\r\n");
    assert_eq!(hdr(&ok, "Session-Expires"), Some("4294967295;refresher=uac"));
    // Zero and garbage refreshers.
    let out = h.send(update(&mut c, "0"));
    assert_eq!(hdr(only(&out, "422 UPDATE"), "Min-SE"), Some("90"));
    let out = h.send(update(&mut c, "120;refresher=nobody"));
    assert_eq!(hdr(only(&out, "200 UPDATE"), "Session-Expires"), Some("120;refresher=uac"));
}
