//! SRTP through the embedded engine: two engines in one process, the
//! caller's policy mandatory, the callee's optional. The call's events
//! name the suite; hold and resume re-key both directions (each
//! re-INVITE carries fresh keys) and the media keeps flowing with no
//! authentication failure on either side; the final reports say the
//! stream was encrypted.

mod common;

use std::time::Duration;

use std::net::SocketAddr;

use common::api::{ByUser, builder, ended, media, wait_for};
use common::udp_uac::UdpUac;
use sipbench::media::{CryptoAttribute, SRTP_MAX_TRAILER, SrtpContext, write_rtp_header};
use sipbench::sip::Message;
use sipbench::{Engine, EventKind, MediaMode, OutgoingCall, SrtpPolicy, SrtpSuite, StreamReport};

fn report(kind: EventKind) -> StreamReport {
    match kind {
        EventKind::Terminated { media: Some(r), .. } => r,
        other => panic!("no media report: {other:?}"),
    }
}

#[test]
fn an_encrypted_call_is_held_resumed_and_re_keyed_without_an_auth_failure() {
    let start = |policy, port, mode| {
        let b = builder().srtp(policy).media(media(port, mode));
        Engine::start(b.build().unwrap(), ByUser).unwrap()
    };
    let bob = start(SrtpPolicy::Optional, 37_000, MediaMode::Echo);
    let alice = start(SrtpPolicy::Mandatory, 37_200, MediaMode::Play);
    let (control, events, bob_events) = (alice.control(), alice.events(), bob.events());
    let target = format!("sip:bob@{}", bob.local_addr());
    let call = OutgoingCall::new(&target).from("sip:alice@127.0.0.1").media(MediaMode::Play);
    let id = control.place_call(call).wait().unwrap();
    let cm80 = Some(SrtpSuite::AesCm128HmacSha1_80);
    let started = |e: &sipbench::Event| matches!(e.kind, EventKind::MediaStarted { .. });
    let ours = wait_for(&events, "MediaStarted", |e| e.call == id && started(e));
    assert!(matches!(ours.kind, EventKind::MediaStarted { srtp, .. } if srtp == cm80), "{ours:?}");
    let theirs = wait_for(&bob_events, "MediaStarted", started);
    assert!(matches!(theirs.kind, EventKind::MediaStarted { srtp, .. } if srtp == cm80), "{theirs:?}");

    std::thread::sleep(Duration::from_millis(200));
    control.hold_call(id).wait().unwrap();
    wait_for(&events, "Held", |e| e.call == id && e.kind == EventKind::Held);
    std::thread::sleep(Duration::from_millis(300));
    control.resume_call(id).wait().unwrap();
    wait_for(&events, "Resumed", |e| e.call == id && e.kind == EventKind::Resumed);
    std::thread::sleep(Duration::from_millis(1500));
    control.end_call(id).wait().unwrap();

    let (ours, theirs) = (report(ended(&events, id)), report(ended(&bob_events, theirs.call)));
    for (side, r) in [("caller", &ours), ("callee", &theirs)] {
        let srtp = r.srtp.unwrap_or_else(|| panic!("{side}: not encrypted: {r:?}"));
        assert_eq!(srtp.suite, SrtpSuite::AesCm128HmacSha1_80, "{side}");
        assert_eq!((srtp.auth_failures, srtp.replays, srtp.unknown_ssrc), (0, 0, 0), "{side}: {r:?}");
    }
    // At most about 10 echoes came back before the hold and about 75
    // after the resume: the echo decrypts under the keys of the last
    // exchange.
    assert!(ours.packets_in >= 20, "the echo after the resume: {ours:?}");
}

/// Our SAVP offer (or re-offer) naming the caller's RTP socket, with `key`.
fn savp_offer(uac: &UdpUac, key: &CryptoAttribute) -> String {
    let port = uac.rtp.local_addr().unwrap().port();
    let mut value = Vec::new();
    key.write_value(&mut value);
    format!(
        "v=0\r\no=uac 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
         m=audio {port} RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\na=crypto:{}\r\n",
        String::from_utf8(value).unwrap()
    )
}

/// The engine's `a=crypto` in its answer.
fn answered_key(ok: &Message) -> CryptoAttribute {
    let body = std::str::from_utf8(ok.body()).unwrap();
    let value = body.lines().find_map(|l| l.strip_prefix("a=crypto:")).expect("a crypto answer");
    CryptoAttribute::parse(value.trim_end()).unwrap()
}

/// Sends `count` packets protected by `tx` and returns how many echoes
/// came back that `rx` authenticates and decrypts to what we sent.
fn echoes(uac: &UdpUac, to: SocketAddr, tx: &mut SrtpContext, rx: &mut SrtpContext, seq: &mut u16) -> usize {
    let mut good = 0;
    for _ in 0..5 {
        *seq += 1;
        let mut head = [0u8; 12];
        write_rtp_header(&mut head, 0, false, *seq, u32::from(*seq) * 160, 0x5eed);
        let mut plain = head.to_vec();
        plain.extend([*seq as u8; 160]);
        let mut buf = plain.to_vec();
        buf.resize(plain.len() + SRTP_MAX_TRAILER, 0);
        let n = tx.protect_rtp(&mut buf, plain.len()).unwrap();
        uac.rtp.send_to(&buf[..n], to).unwrap();
        let mut back = [0u8; 512];
        if let Ok((len, _)) = uac.rtp.recv_from(&mut back)
            && rx.unprotect_rtp(&mut back[..len]).is_ok_and(|m| back[..m] == plain[..])
        {
            good += 1;
        }
    }
    good
}

#[test]
fn a_re_invite_with_a_new_key_re_keys_the_echo_stream() {
    let engine =
        common::api::start(builder().srtp(SrtpPolicy::Mandatory).media(media(37_400, MediaMode::Echo)));
    let events = engine.events();
    let mut uac = UdpUac::new(engine.local_addr(), "bob");
    let first = CryptoAttribute::offer(1, SrtpSuite::AesCm128HmacSha1_32).unwrap();
    uac.invite_with_sdp(&savp_offer(&uac, &first));
    let id = common::api::incoming(&events, &uac);
    let ok = uac.expect_status(200, Duration::from_secs(5));
    uac.in_dialog("ACK");
    let (to, ours) = (UdpUac::media_addr(&ok), answered_key(&ok));
    assert_eq!((ours.tag, ours.suite), (1, SrtpSuite::AesCm128HmacSha1_32));
    let mut tx = SrtpContext::new(&first.keys).unwrap();
    let mut rx = SrtpContext::new(&ours.keys).unwrap();
    let mut seq = 0;
    assert_eq!(echoes(&uac, to, &mut tx, &mut rx, &mut seq), 5, "echoes under the first keys");

    let next = CryptoAttribute::offer(1, SrtpSuite::AesCm128HmacSha1_32).unwrap();
    uac.in_dialog_with("INVITE", "", "application/sdp", &savp_offer(&uac, &next));
    let ok = uac.expect_status(200, Duration::from_secs(5));
    uac.in_dialog_cseq("ACK", uac.cseq);
    let theirs = answered_key(&ok);
    assert_ne!(theirs.keys[0], ours.keys[0], "a new key of ours for a new key of theirs");
    // The media thread applies the new keys when our 200 goes out; give
    // it a moment before sending under them.
    std::thread::sleep(Duration::from_millis(100));
    tx.rekey(&next.keys).unwrap();
    rx.rekey(&theirs.keys).unwrap();
    assert_eq!(echoes(&uac, to, &mut tx, &mut rx, &mut seq), 5, "echoes under the new keys");

    uac.in_dialog("BYE");
    let r = report(ended(&events, id));
    let srtp = r.srtp.expect("encrypted");
    assert_eq!(
        (srtp.suite, srtp.auth_failures, srtp.replays),
        (SrtpSuite::AesCm128HmacSha1_32, 0, 0),
        "{r:?}"
    );
}
