//! `ShardCore` error answers: unknown dialogs (481), CSeq out of order
//! (500), OPTIONS, unknown methods (501), Require (420), codecs (488),
//! content types (415), malformed requests (400) and overload (503).

mod common;

use bytes::Bytes;
use common::{Harness, UacCall, hdr, labels, ms, only, pcmu_offer, respond, sdp};
use sipbench::core::{Command, CoreConfig, EventKind};
use sipbench::dialog::{CallPolicy, EndReason};

fn harness() -> Harness {
    Harness::with_policy(CallPolicy::default())
}

/// An answered and ACKed call.
fn established(h: &mut Harness, i: u64) -> UacCall {
    let mut uac = UacCall::new(i);
    uac.learn_tag(only(&h.send(uac.invite()), "200 INVITE"));
    h.send(uac.ack_2xx(1));
    uac
}

#[test]
fn bye_for_unknown_call_id_or_tag_gets_481() {
    let mut h = harness();
    let mut stranger = UacCall::new(99);
    stranger.to_tag = Some("nosuchtag".into());
    assert_eq!(labels(&h.send(stranger.in_dialog("BYE", None))), ["481 BYE"]);
    // Out of dialog (no To tag) too.
    stranger.to_tag = None;
    assert_eq!(labels(&h.send(stranger.in_dialog("BYE", None))), ["481 BYE"]);

    let mut uac = established(&mut h, 1);
    let real = uac.to_tag.replace("wrongtag".into());
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["481 BYE"]);
    uac.to_tag = real;
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"], "the call was untouched");
    let s = h.core.stats();
    assert_eq!((s.unknown_dialog, s.calls_completed), (3, 1));
    h.drain();
}

#[test]
fn lower_cseq_in_dialog_gets_500() {
    let mut h = harness();
    let mut uac = established(&mut h, 1);
    uac.cseq = 5;
    assert_eq!(labels(&h.send(uac.in_dialog("INFO", None))), ["200 INFO"]);
    let b = uac.new_branch();
    let out = h.send(uac.request("INFO", &b, 3, "", None));
    assert_eq!(labels(&out), ["500 INFO"]);
    // The same CSeq again (a new transaction) is out of order too.
    let b = uac.new_branch();
    assert_eq!(labels(&h.send(uac.request("INFO", &b, 6, "", None))), ["500 INFO"]);
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    h.drain();
}

#[test]
fn options_gets_200_with_allow_and_accept() {
    let mut h = harness();
    let uac = UacCall::new(1);
    let out = h.send(uac.request("OPTIONS", "z9hG4bK-opt", 1, "", None));
    let ok = only(&out, "200 OPTIONS");
    let allow = hdr(ok, "Allow").expect("Allow");
    for m in ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS"] {
        assert!(allow.contains(m), "Allow: {allow}");
    }
    assert_eq!(hdr(ok, "Accept"), Some("application/sdp"));
    h.drain();
}

#[test]
fn unknown_method_gets_501_with_allow() {
    let mut h = harness();
    let uac = UacCall::new(1);
    let out = h.send(uac.request("FOO", "z9hG4bK-foo", 1, "", None));
    let nope = only(&out, "501 FOO");
    assert!(hdr(nope, "Allow").is_some_and(|a| a.contains("INVITE")));
    // Retransmission: the same answer from the transaction.
    let again = h.send(uac.request("FOO", "z9hG4bK-foo", 1, "", None));
    assert_eq!(again[0].as_bytes(), nope.as_bytes());
    h.drain();
}

#[test]
fn require_of_an_unknown_extension_gets_420() {
    let mut h = harness();
    let uac = UacCall::new(1);
    let offer = common::pcmu_offer();
    let out = h.send(uac.invite_with("Require: 100rel, precondition\r\n", Some(("application/sdp", &offer))));
    let bad = only(&out, "420 INVITE");
    // 100rel is ours (RFC 3262); only what we lack is listed.
    assert_eq!(hdr(bad, "Unsupported"), Some("precondition"));
    assert!(h.send(uac.ack_non2xx()).is_empty());
    assert_eq!(h.core.stats().calls_received, 0);
    h.drain();
}

#[test]
fn g729_only_offer_gets_488() {
    let mut h = harness();
    let uac = UacCall::new(1);
    let offer = sdp(&[(18, "G729/8000")], None);
    let out = h.send(uac.invite_with("", Some(("application/sdp", &offer))));
    only(&out, "488 INVITE");
    assert!(h.send(uac.ack_non2xx()).is_empty());
    assert_eq!(h.core.stats().calls_received, 0);
    h.drain();
}

#[test]
fn text_plain_body_gets_415() {
    let mut h = harness();
    let uac = UacCall::new(1);
    let out = h.send(uac.invite_with("", Some(("text/plain", "hello"))));
    let bad = only(&out, "415 INVITE");
    assert_eq!(hdr(bad, "Accept"), Some("application/sdp"));
    h.drain(); // never ACKed: Timer H ends the transaction
    assert_eq!(h.core.stats().timer_h_expired, 1);
}

#[test]
fn malformed_cseq_gets_400_naming_the_fault() {
    let mut h = harness();
    let uac = UacCall::new(1);
    let good = String::from_utf8(uac.invite().to_vec()).unwrap();
    let bad = good.replace("CSeq: 1 INVITE", "CSeq: one INVITE");
    let out = h.send(Bytes::from(bad));
    let resp = only(&out, "400 ?");
    assert!(resp.reason().contains("CSeq"), "reason: {}", resp.reason());
    assert_eq!(resp.call_id(), uac.call_id);
    let mismatch = good.replace("CSeq: 1 INVITE", "CSeq: 1 BYE");
    let out = h.send(Bytes::from(mismatch));
    assert!(out[0].reason().contains("CSeq"), "reason: {}", out[0].reason());
    let s = h.core.stats();
    assert_eq!((s.bad_requests, s.calls_received), (2, 0));
    h.drain();
}

/// The runtime's overload signal: while it is set, a new INVITE gets 503
/// with Retry-After naming the cause, but an established call's re-INVITE
/// and BYE are served; once cleared, new calls are taken again.
#[test]
fn overload_signal_refuses_new_calls_but_serves_existing_ones() {
    let mut h = harness();
    let mut up = established(&mut h, 1);
    h.core.set_overloaded(true);
    let new = UacCall::new(2);
    let out = h.send(new.invite());
    let busy = only(&out, "503 INVITE");
    assert_eq!(busy.reason(), "Service Unavailable - Overloaded");
    assert!(hdr(busy, "Retry-After").is_some_and(|v| v.parse::<u32>().is_ok()));
    h.send(new.ack_non2xx());
    let reinvite = up.in_dialog("INVITE", Some(("application/sdp", &pcmu_offer())));
    only(&h.send(reinvite), "200 INVITE");
    h.send(up.ack_2xx(2));
    only(&h.send(up.in_dialog("BYE", None)), "200 BYE");
    let s = h.core.stats();
    assert_eq!((s.overload_rejected, s.overload_by_delay, s.calls_completed), (1, 1, 1));
    h.core.set_overloaded(false);
    let mut later = UacCall::new(3);
    later.learn_tag(only(&h.send(later.invite()), "200 INVITE"));
    h.send(later.ack_2xx(1));
    h.send(later.in_dialog("BYE", None));
    assert_eq!(h.core.stats().calls_completed, 2);
    h.drain();
}

#[test]
fn max_calls_reached_gets_503_with_retry_after() {
    let mut h = Harness::new(CoreConfig { max_calls: 1, ..CoreConfig::default() });
    let mut first = established(&mut h, 1);
    let second = UacCall::new(2);
    let out = h.send(second.invite());
    let busy = only(&out, "503 INVITE");
    assert!(hdr(busy, "Retry-After").is_some_and(|v| v.parse::<u32>().is_ok()));
    h.send(second.ack_non2xx());
    assert_eq!(h.core.stats().overload_rejected, 1);
    h.send(first.in_dialog("BYE", None));
    // Room again.
    let mut third = UacCall::new(3);
    third.learn_tag(only(&h.send(third.invite()), "200 INVITE"));
    h.send(third.ack_2xx(1));
    h.send(third.in_dialog("BYE", None));
    assert_eq!(h.core.stats().calls_completed, 2);
    h.drain();
}

#[test]
fn shutdown_byes_active_calls_refuses_new_ones_and_abandon_counts_the_rest() {
    let mut h = Harness::new(CoreConfig::default());
    let _first = established(&mut h, 1);
    let second = established(&mut h, 2);
    let out = h.command(Command::Shutdown).unwrap();
    let byes: Vec<_> = out.iter().filter(|m| m.method() == sipbench::sip::Method::Bye).collect();
    assert_eq!(byes.len(), 2, "every active call gets a BYE");
    // New calls are refused while shutting down.
    let late = UacCall::new(3);
    let out = h.send(late.invite());
    let busy = only(&out, "503 INVITE");
    assert!(hdr(busy, "Retry-After").is_some());
    // One BYE is answered: that call ended cleanly, not by shutdown. The
    // other peer never answers: abandon it, counted as ended by shutdown.
    let bye_2 = byes.iter().find(|b| b.call_id() == second.call_id).unwrap();
    h.send(respond(bye_2, 200, "OK"));
    assert_eq!(
        h.take_events().last(),
        Some(&EventKind::Terminated { reason: EndReason::LocalBye, duration: ms(0), media: None })
    );
    h.command(Command::Abandon).unwrap();
    let s = *h.core.stats();
    assert_eq!((s.failed_shutdown, s.calls_completed, s.active_calls, s.calls_received), (1, 1, 0, 2));
    assert!(matches!(
        h.take_events().last(),
        Some(EventKind::Terminated { reason: EndReason::Shutdown, .. })
    ));
    h.drain();
}
