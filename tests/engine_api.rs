//! The embedding API through its public interface only: a handler that
//! decides by the Request-URI, commands from other threads, events, and
//! real UDP on loopback (a hand-written caller: it must answer the
//! engine's re-INVITEs and BYEs in ways SIPp scenarios make awkward).

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::api::*;
use common::udp_uac::UdpUac;
use sipbench::{
    CallHandle, CommandError, Config, EndReason, Error, ErrorCategory, EventKind, MediaConfig, MediaMode,
};

#[test]
fn deferred_call_is_accepted_from_another_thread_and_ended_by_the_application() {
    let engine = start(builder());
    let (rx, control) = (engine.events(), engine.control());
    let mut uac = UdpUac::new(engine.local_addr(), "defer");
    uac.invite();
    uac.expect_status(100, WAIT);
    let id = incoming(&rx, &uac);
    let c = control.clone();
    let answered = std::thread::spawn(move || c.accept_call(id).wait());
    uac.expect_status(200, WAIT);
    answered.join().unwrap().unwrap();
    uac.in_dialog("ACK");
    wait_for(&rx, "Established", |e| e.call == id && e.kind == EventKind::Established);

    control.end_call(id).wait().unwrap();
    let bye = uac.expect_request("BYE", WAIT);
    uac.reply(&bye, 200, None);
    assert!(matches!(ended(&rx, id), EventKind::Terminated { reason: EndReason::LocalBye, media: None, .. }));
    let late = control.end_call(id).wait().unwrap_err();
    assert!(matches!(late, Error::Command(CommandError::UnknownCall)), "{late}");
    assert_eq!(late.category(), ErrorCategory::Protocol);
    engine.shutdown(WAIT);
}

#[test]
fn deferred_call_nobody_answers_gets_480() {
    let engine = start(builder().defer_timeout(Duration::from_millis(200)));
    let rx = engine.events();
    let mut uac = UdpUac::new(engine.local_addr(), "defer");
    uac.invite();
    let id = incoming(&rx, &uac);
    uac.expect_status(480, WAIT);
    assert!(matches!(ended(&rx, id), EventKind::Terminated { reason: EndReason::Rejected(480), .. }));
    engine.shutdown(WAIT);
}

#[test]
fn hold_and_resume_send_reinvites_with_the_right_direction() {
    let engine = start(builder());
    let (rx, control) = (engine.events(), engine.control());
    let mut uac = UdpUac::new(engine.local_addr(), "hold");
    uac.call_answered(WAIT);
    let id = incoming(&rx, &uac);
    wait_for(&rx, "Established", |e| e.call == id && e.kind == EventKind::Established);
    for (command, ours, theirs, event) in [
        ("hold", "a=sendonly", "recvonly", EventKind::Held),
        ("resume", "a=sendrecv", "sendrecv", EventKind::Resumed),
    ] {
        let pending = if command == "hold" { control.hold_call(id) } else { control.resume_call(id) };
        pending.wait().unwrap();
        let reinvite = uac.expect_request("INVITE", WAIT);
        let body = std::str::from_utf8(reinvite.body()).unwrap();
        assert!(body.contains(ours), "{command}: {body}");
        uac.reply(&reinvite, 200, Some(&uac.sdp(theirs)));
        uac.expect_request("ACK", WAIT);
        wait_for(&rx, command, |e| e.call == id && e.kind == event);
    }
    uac.in_dialog("BYE");
    uac.expect_status(200, WAIT);
    assert!(matches!(ended(&rx, id), EventKind::Terminated { reason: EndReason::RemoteBye, .. }));
    engine.shutdown(WAIT);
}

fn rtp(seq: u16, ssrc: u32) -> Vec<u8> {
    let mut p = vec![0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    p[2..4].copy_from_slice(&seq.to_be_bytes());
    p[4..8].copy_from_slice(&(u32::from(seq) * 160).to_be_bytes());
    p[8..12].copy_from_slice(&ssrc.to_be_bytes());
    p.extend_from_slice(&[0xff; 160]);
    p
}

/// Sends `n` packets from `from` to `to` and returns what `at` receives
/// (by SSRC) within a short wait.
fn relay(from: &UdpUac, to: SocketAddr, at: &UdpUac, ssrc: u32, n: u16) -> usize {
    for seq in 0..n {
        from.rtp.send_to(&rtp(seq, ssrc), to).unwrap();
    }
    let (mut got, mut buf, until) = (0, [0u8; 512], Instant::now() + Duration::from_secs(2));
    while got < usize::from(n) && Instant::now() < until {
        if let Ok(len) = at.rtp.recv(&mut buf)
            && len > 12
            && buf[8..12] == ssrc.to_be_bytes()
        {
            got += 1;
        }
    }
    got
}

#[test]
fn bridged_calls_hear_each_other_and_end_with_media_stats() {
    let engine = start(builder().media(media(21_000, MediaMode::Echo)));
    let (rx, control) = (engine.events(), engine.control());
    let (mut a, mut b) = (UdpUac::new(engine.local_addr(), "a"), UdpUac::new(engine.local_addr(), "b"));
    let (ok_a, ok_b) = (a.call_answered(WAIT), b.call_answered(WAIT));
    let (id_a, id_b) = (incoming(&rx, &a), incoming(&rx, &b));
    let (media_a, media_b) = (UdpUac::media_addr(&ok_a), UdpUac::media_addr(&ok_b));
    wait_for(&rx, "MediaStarted", |e| e.call == id_b && matches!(e.kind, EventKind::MediaStarted { .. }));

    assert!(matches!(control.bridge_calls(id_a, id_a).wait(), Err(Error::Command(CommandError::SameCall))));
    control.bridge_calls(id_a, id_b).wait().unwrap();
    std::thread::sleep(Duration::from_millis(100)); // a stream may move threads
    assert_eq!(relay(&a, media_a, &b, 0xa, 20), 20, "A's packets reach B");
    assert_eq!(relay(&b, media_b, &a, 0xb, 20), 20, "B's packets reach A");
    assert_eq!(relay(&a, media_a, &a, 0xa1, 5), 0, "bridged: no echo back to A");

    for (uac, id) in [(&mut a, id_a), (&mut b, id_b)] {
        uac.in_dialog("BYE");
        uac.expect_status(200, WAIT);
        let EventKind::Terminated { media: Some(m), .. } = ended(&rx, id) else { panic!("no media stats") };
        assert!(m.packets_in >= 20 && m.packets_out >= 20, "{m:?}");
    }
    engine.shutdown(WAIT);
}

#[test]
fn play_sends_a_paced_tone_in_sequence() {
    let engine = start(builder().media(media(21_200, MediaMode::Sink)));
    let (rx, control) = (engine.events(), engine.control());
    let mut uac = UdpUac::new(engine.local_addr(), "play");
    uac.call_answered(WAIT);
    let id = incoming(&rx, &uac);
    wait_for(&rx, "MediaStarted", |e| e.call == id && matches!(e.kind, EventKind::MediaStarted { .. }));
    control.play(id).wait().unwrap();
    let (mut seqs, mut buf, until) = (Vec::new(), [0u8; 512], Instant::now() + WAIT);
    while seqs.len() < 10 && Instant::now() < until {
        if let Ok(n) = uac.rtp.recv(&mut buf) {
            assert_eq!((n, buf[1] & 0x7f), (172, 0), "PCMU frames of 20 ms");
            seqs.push(u16::from_be_bytes([buf[2], buf[3]]));
        }
    }
    assert_eq!(seqs.len(), 10, "tone packets arrive");
    assert!(seqs.windows(2).all(|w| w[1] == w[0].wrapping_add(1)), "{seqs:?}");
    uac.in_dialog("BYE");
    uac.expect_status(200, WAIT);
    engine.shutdown(WAIT);
}

/// An RFC 4733 packet: `event`, end bit, duration, on the press's timestamp.
fn key(seq: u16, timestamp: u32, event: u8, end: bool) -> Vec<u8> {
    let mut p = vec![0x80, 101, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xd];
    p[2..4].copy_from_slice(&seq.to_be_bytes());
    p[4..8].copy_from_slice(&timestamp.to_be_bytes());
    p.extend_from_slice(&[event, if end { 0x8a } else { 0x0a }, 0x03, 0x20]);
    p
}

#[test]
fn key_presses_arrive_as_dtmf_events_once_each() {
    let engine = start(builder().media(media(21_400, MediaMode::Sink)));
    let rx = engine.events();
    let mut uac = UdpUac::new(engine.local_addr(), "keys");
    let ok = uac.call_answered(WAIT);
    assert!(std::str::from_utf8(ok.body()).unwrap().contains("telephone-event"), "DTMF negotiated");
    let id = incoming(&rx, &uac);
    wait_for(&rx, "MediaStarted", |e| e.call == id && matches!(e.kind, EventKind::MediaStarted { .. }));
    let to = UdpUac::media_addr(&ok);
    let mut seq = 0;
    for (press, event) in [5u8, 11, 0].into_iter().enumerate() {
        // Two packets while held, then the end packet three times.
        for end in [false, false, true, true, true] {
            seq += 1;
            uac.rtp.send_to(&key(seq, 8_000 * press as u32, event, end), to).unwrap();
        }
    }
    let mut digits = String::new();
    let until = Instant::now() + Duration::from_secs(2);
    while let Ok(e) = rx.recv_deadline(until) {
        if let EventKind::Dtmf { digit, duration } = e.kind {
            assert_eq!((e.call, duration), (id, Duration::from_millis(100)));
            digits.push(digit);
        }
    }
    assert_eq!(digits, "5#0", "each press once, in order");
    engine.shutdown(WAIT);
}

#[test]
fn commands_for_unknown_calls_are_typed_errors() {
    let engine = start(builder());
    let control = engine.control();
    let mut stale = CallHandle::new(0, 4242, 7);
    for _ in 0..2 {
        for pending in
            [control.accept_call(stale), control.hold_call(stale), control.bridge_calls(stale, stale)]
        {
            let e = pending.wait_timeout(WAIT).unwrap_err();
            assert!(matches!(e, Error::Command(CommandError::UnknownCall)), "{e}");
        }
        stale = CallHandle::new(99, 4242, 7); // no such shard
    }
    engine.shutdown(WAIT);
}

#[test]
fn a_slow_event_consumer_does_not_stall_calls() {
    let engine = start(builder().event_capacity(Some(8)));
    for _ in 0..30 {
        let mut uac = UdpUac::new(engine.local_addr(), "busy");
        uac.call_answered(WAIT);
        uac.in_dialog("BYE");
        uac.expect_status(200, WAIT);
    }
    let until = Instant::now() + WAIT;
    while engine.stats().total.core.calls_completed < 30 && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(50));
    }
    let end = engine.stats().total;
    assert_eq!(end.core.calls_completed, 30);
    assert_eq!(end.events_sent, 8, "the stream held its capacity");
    assert!(end.events_dropped >= 30 * 3 - 8, "dropped and counted: {}", end.events_dropped);
    assert_eq!(engine.events().try_iter().count(), 8);
    engine.shutdown(WAIT);
}

#[test]
fn reject_redirect_and_options_follow_the_handler() {
    let engine = start(builder());
    let server = engine.local_addr();
    let mut uac = UdpUac::new(server, "reject");
    uac.invite();
    let r = uac.expect_status(486, WAIT);
    assert_eq!(r.reason(), "Gone Fishing");
    let mut uac = UdpUac::new(server, "redirect");
    uac.invite();
    let r = uac.expect_status(302, WAIT);
    assert!(r.header_by_name("Contact").is_some_and(|c| c.contains("sip:elsewhere@127.0.0.1:5099")));
    let mut uac = UdpUac::new(server, "forbidden");
    uac.out_of_dialog("OPTIONS");
    uac.expect_status(403, WAIT);
    let mut uac = UdpUac::new(server, "anyone");
    uac.out_of_dialog("OPTIONS");
    uac.expect_status(200, WAIT);
    engine.shutdown(WAIT);
}

#[test]
fn invalid_configuration_names_the_field() {
    let ms = Duration::from_millis;
    let cases = [
        (Config::builder().shards(0), "shards"),
        (Config::builder().timers(ms(500), ms(100), ms(5000)), "timers"),
        (Config::builder().max_message_size(100), "max_message_size"),
        (Config::builder().codecs(vec![sipbench::Codec::TelephoneEvent]), "codecs"),
        (Config::builder().user_agent("bad\r\nInjected: yes"), "user_agent"),
        (Config::builder().contact_host("a b"), "contact_host"),
        (
            Config::builder().media(MediaConfig { ports: (30_000, 20_000), ..MediaConfig::default() }),
            "media.ports",
        ),
        (Config::builder().event_capacity(Some(0)), "event_capacity"),
    ];
    for (b, field) in cases {
        let e = b.build().unwrap_err();
        assert_eq!(e.field, field, "{e}");
        assert_eq!(Error::from(e).category(), ErrorCategory::Config);
    }
    assert!(Config::builder().build().is_ok());
}

#[test]
fn injection_attempts_and_bad_statuses_are_refused_before_anything_is_sent() {
    let engine = start(builder());
    let (rx, control) = (engine.events(), engine.control());
    let mut uac = UdpUac::new(engine.local_addr(), "defer");
    uac.invite();
    uac.expect_status(100, WAIT);
    let id = incoming(&rx, &uac);
    let refused = |p: sipbench::Pending| match p.wait() {
        Err(Error::Command(e)) => e,
        other => panic!("want a refusal, got {other:?}"),
    };
    for bad in ["Busy\r\nX-Evil: 1", "Busy\nX-Evil: 1", "nul\0byte", "\"quoted\""] {
        let e = refused(control.reject_call_with_reason(id, 486, bad));
        assert!(matches!(e, CommandError::BadArgument(_)), "{bad:?}: {e}");
    }
    for code in [0, 99, 180, 200, 700] {
        assert_eq!(refused(control.reject_call(id, code)), CommandError::BadStatus(code));
    }
    let evil = sipbench::OutgoingCall::new("sip:bob@127.0.0.1").header("X-A", "1\r\nX-Evil: 1");
    assert!(matches!(control.place_call(evil).wait(), Err(Error::Command(CommandError::BadArgument(_)))));
    assert!(uac.recv(Duration::from_millis(300)).is_none(), "nothing went out");
    control.reject_call_with_reason(id, 486, "Busy Here - Try Later").wait().unwrap();
    let r = uac.expect_status(486, WAIT);
    assert_eq!(r.reason(), "Busy Here - Try Later");
    assert!(r.header_by_name("X-Evil").is_none());
    engine.shutdown(WAIT);
}

/// Reads and drops `uac`'s RTP until none has come for 200 ms, for at
/// most 3 s.
fn drain_until_quiet(uac: &UdpUac) {
    let (mut buf, until, mut last) = ([0u8; 512], Instant::now() + Duration::from_secs(3), Instant::now());
    while Instant::now() < until && last.elapsed() < Duration::from_millis(200) {
        if uac.rtp.recv(&mut buf).is_ok() {
            last = Instant::now();
        }
    }
}

/// RTP packets `uac` receives within `limit`.
fn packets(uac: &UdpUac, limit: Duration) -> usize {
    let (mut n, mut buf, until) = (0, [0u8; 512], Instant::now() + limit);
    while Instant::now() < until {
        if uac.rtp.recv(&mut buf).is_ok() {
            n += 1;
        }
    }
    n
}

#[test]
fn hold_plays_music_on_hold_and_resume_restores_the_calls_media() {
    let engine = start(builder().media(media(21_600, MediaMode::Sink)));
    let (rx, control) = (engine.events(), engine.control());
    let mut uac = UdpUac::new(engine.local_addr(), "moh");
    uac.call_answered(WAIT);
    let id = incoming(&rx, &uac);
    wait_for(&rx, "MediaStarted", |e| e.call == id && matches!(e.kind, EventKind::MediaStarted { .. }));
    let round =
        |uac: &mut UdpUac, pending: sipbench::Pending, answer: &str, event: EventKind, quiet: bool| {
            pending.wait().unwrap();
            let reinvite = uac.expect_request("INVITE", WAIT);
            uac.reply(&reinvite, 200, Some(&uac.sdp(answer)));
            uac.expect_request("ACK", WAIT);
            wait_for(&rx, "hold/resume", |e| e.call == id && e.kind == event);
            // What was sent before the media thread took the change is not
            // counted: when the change silences the call, what comes until a
            // 200 ms gap (at most 3 s, on a loaded box); else 100 ms of it.
            if quiet {
                drain_until_quiet(uac);
            } else {
                std::thread::sleep(Duration::from_millis(100));
                uac.rtp.set_nonblocking(true).unwrap();
                while uac.rtp.recv(&mut [0u8; 512]).is_ok() {}
                uac.rtp.set_nonblocking(false).unwrap();
            }
            packets(uac, Duration::from_millis(400))
        };
    assert_eq!(packets(&uac, Duration::from_millis(200)), 0, "a sink sends nothing");
    let held = round(&mut uac, control.hold_call(id), "recvonly", EventKind::Held, false);
    assert!(held >= 10, "music on hold: a 20 ms tone, got {held} packets in 400 ms");
    let resumed = round(&mut uac, control.resume_call(id), "sendrecv", EventKind::Resumed, true);
    assert_eq!(resumed, 0, "a sink again");
    let silence = sipbench::OnHold::Silence;
    let silent = round(&mut uac, control.hold_call_with(id, silence), "recvonly", EventKind::Held, true);
    assert_eq!(silent, 0, "a silent hold sends nothing");
    uac.in_dialog("BYE");
    uac.expect_status(200, WAIT);
    engine.shutdown(WAIT);
}
