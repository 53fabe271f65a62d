//! `ShardCore` call scenarios, datagram by datagram and timer by timer:
//! a basic call, INVITE retransmission, lost ACK, CANCEL early and late,
//! BYE before ACK, and the per-call memory budget. Every scenario ends
//! with `drain`: 40 s later no call, transaction or timer is left.

mod common;

use std::time::Duration;

use common::{Harness, UacCall, labels, ms, only, pcmu_offer};
use sipbench::core::{CoreConfig, EventKind, MediaCommand};
use sipbench::dialog::{CallPolicy, EndReason};
use sipbench::sip::sdp;

fn policy(ring: u64, answer: u64, hangup: u64) -> CallPolicy {
    CallPolicy { ring: ms(ring), answer: ms(answer), hangup: ms(hangup), ..CallPolicy::default() }
}

#[test]
fn basic_call_with_sdp_answer() {
    let mut h = Harness::with_policy(policy(0, 100, 0));
    let mut uac = UacCall::new(1);
    let out = h.send(uac.invite());
    assert_eq!(labels(&out), ["100 INVITE"]);
    assert!(out[0].to().unwrap().tag().is_none(), "100 Trying carries no To tag");

    let (at, out) = h.next_send(Duration::from_secs(1)).expect("the 200");
    assert_eq!(at, ms(100), "answer delay");
    let ok = only(&out, "200 INVITE");
    uac.learn_tag(ok);
    assert!(uac.to_tag.is_some(), "200 has a To tag");
    assert!(ok.contact().is_some(), "200 has a Contact");
    assert!(ok.content_type().is_some_and(|c| c.value == "application/sdp"));
    let answer = sdp::parse(ok.body()).expect("SDP answer parses");
    let m = &answer.media[0];
    assert!(m.is_audio());
    assert_ne!(m.port, 0, "audio accepted");
    assert!(m.payload_types().any(|pt| pt == 0), "PCMU in answer: {:?}", m.formats);
    assert_eq!(m.rtpmap(0).map(|r| r.encoding), Some("PCMU"));

    assert!(h.send(uac.ack_2xx(1)).is_empty(), "ACK gets no response");
    let bye = uac.in_dialog("BYE", None);
    assert_eq!(labels(&h.send(bye)), ["200 BYE"]);

    let s = *h.core.stats();
    assert_eq!((s.calls_received, s.calls_answered, s.calls_completed), (1, 1, 1));
    assert_eq!(s.calls_failed(), 0);
    let events = h.take_events();
    assert!(matches!(events[0], EventKind::Incoming));
    let started = EventKind::MediaStarted { local_port: m.port, srtp: None };
    assert_eq!(events[1..4], [started, EventKind::Answered, EventKind::Established]);
    assert!(matches!(events[4], EventKind::Terminated { reason: EndReason::RemoteBye, .. }));
    assert!(matches!(h.media[0], MediaCommand::Open { local_port, .. } if local_port == m.port));
    assert!(matches!(h.media[1], MediaCommand::Close { .. }));
    h.drain();
}

#[test]
fn immediate_answer_sends_200_without_100() {
    let mut h = Harness::with_policy(policy(0, 0, 0));
    let mut uac = UacCall::new(1);
    let out = h.send(uac.invite());
    assert_eq!(labels(&out), ["200 INVITE"]);
    uac.learn_tag(&out[0]);
    h.send(uac.ack_2xx(1));
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    h.drain();
}

#[test]
fn invite_retransmission_resends_provisional_only() {
    // ring 1 s: 180 at once, 200 at 1 s.
    let mut h = Harness::with_policy(policy(1000, 0, 0));
    let mut uac = UacCall::new(1);
    let first = h.send(uac.invite());
    assert_eq!(labels(&first), ["180 INVITE"]);
    h.advance(ms(500));
    let again = h.send(uac.invite());
    assert_eq!(labels(&again), ["180 INVITE"]);
    assert_eq!(again[0].as_bytes(), first[0].as_bytes(), "the same 180, byte for byte");
    let (at, out) = h.next_send(Duration::from_secs(2)).unwrap();
    assert_eq!((at, labels(&out)), (ms(1000), vec!["200 INVITE".to_string()]));
    uac.learn_tag(&out[0]);
    // A retransmission after the 2xx is absorbed (RFC 6026 Accepted).
    assert!(h.send(uac.invite()).is_empty());
    h.send(uac.ack_2xx(1));
    h.send(uac.in_dialog("BYE", None));

    let incoming = h.take_events().iter().filter(|e| matches!(e, EventKind::Incoming)).count();
    assert_eq!(incoming, 1, "Incoming emitted once");
    let s = h.core.stats();
    assert_eq!((s.calls_received, s.calls_completed), (1, 1));
    assert!(s.retransmissions_in >= 2);
    h.drain();
}

#[test]
fn invite_retransmission_resends_100() {
    let mut h = Harness::with_policy(policy(0, 1000, 0));
    let uac = UacCall::new(1);
    let first = h.send(uac.invite());
    assert_eq!(labels(&first), ["100 INVITE"]);
    h.advance(ms(500));
    let again = h.send(uac.invite());
    assert_eq!(again[0].as_bytes(), first[0].as_bytes());
    assert_eq!(h.core.stats().calls_received, 1);
    // 200 at 1 s, never ACKed: BYE at 1 + 32 s; answered, the call failed.
    let sent = h.advance(Duration::from_secs(33));
    let (at, bye) = sent.iter().find(|(_, m)| m.is_request()).unwrap();
    assert_eq!((*at, bye.method_name()), (ms(33_000), "BYE"));
    h.send(common::respond(bye, 200, "OK"));
    assert_eq!(h.core.stats().failed_ack_timeout, 1);
    h.drain();
}

#[test]
fn lost_ack_retransmits_200_then_byes_at_64_t1() {
    let mut h = Harness::with_policy(policy(0, 0, 0));
    let mut uac = UacCall::new(1);
    let out = h.send(uac.invite());
    let ok = only(&out, "200 INVITE").clone();
    uac.learn_tag(&ok);
    let mut instants = Vec::new();
    let bye = loop {
        let (at, out) = h.next_send(Duration::from_secs(40)).expect("retransmission or BYE");
        assert_eq!(out.len(), 1, "{:?}", labels(&out));
        if out[0].is_request() {
            assert_eq!(at, ms(32_000), "BYE at 64·T1");
            break out[0].clone();
        }
        assert_eq!(out[0].as_bytes(), ok.as_bytes(), "the same 200");
        instants.push(at.as_millis() as u64);
    };
    // T1 doubling to T2: intervals 0.5, 1, 2, 4, 4, 4…
    let want: Vec<u64> = vec![500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500];
    assert_eq!(instants, want);
    assert_eq!(bye.method_name(), "BYE");
    assert_eq!(bye.call_id(), uac.call_id);
    assert_eq!(bye.to().unwrap().tag(), Some(uac.from_tag.as_str()), "BYE To is the caller");
    assert_eq!(bye.from().unwrap().tag(), uac.to_tag.as_deref());
    assert_eq!(h.core.stats().failed_ack_timeout, 0, "not ended before the BYE is answered");
    assert!(h.send(common::respond(&bye, 200, "OK")).is_empty());
    let s = h.core.stats();
    assert_eq!((s.failed_ack_timeout, s.calls_completed, s.active_calls), (1, 0, 0));
    let ended = h.take_events().into_iter().last().unwrap();
    assert!(matches!(ended, EventKind::Terminated { reason: EndReason::AckTimeout, .. }));
    h.drain();
}

#[test]
fn cancel_while_ringing() {
    let mut h = Harness::with_policy(policy(1000, 0, 0));
    let mut uac = UacCall::new(1);
    let ringing = h.send(uac.invite());
    let tag = ringing[0].to().unwrap().tag().unwrap().to_owned();
    h.advance(ms(200));
    let out = h.send(uac.cancel());
    assert_eq!(labels(&out), ["200 CANCEL", "487 INVITE"]);
    assert_eq!(out[1].to().unwrap().tag(), Some(tag.as_str()), "487 keeps the 180's tag");
    uac.learn_tag(&out[1]);
    // Timer G resends the 487 until the ACK.
    let (at, again) = h.next_send(Duration::from_secs(1)).unwrap();
    assert_eq!((at, labels(&again)), (ms(700), vec!["487 INVITE".to_string()]));
    assert!(h.send(uac.ack_non2xx()).is_empty(), "ACK for the 487 absorbed");
    assert!(h.advance(Duration::from_secs(10)).is_empty(), "no 200 after the CANCEL, no more 487");
    let s = h.core.stats();
    assert_eq!((s.calls_cancelled, s.calls_answered, s.active_calls), (1, 0, 0));
    assert_eq!(s.stray_acks, 0);
    h.drain();
}

#[test]
fn cancel_after_answer_gets_200_only() {
    let mut h = Harness::with_policy(policy(0, 0, 0));
    let mut uac = UacCall::new(1);
    uac.learn_tag(&h.send(uac.invite())[0]);
    assert_eq!(labels(&h.send(uac.cancel())), ["200 CANCEL"]);
    h.send(uac.ack_2xx(1));
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    let s = h.core.stats();
    assert_eq!((s.calls_cancelled, s.calls_completed), (0, 1));
    h.drain();
}

#[test]
fn cancel_for_unknown_invite_gets_481() {
    let mut h = Harness::with_policy(policy(0, 0, 0));
    let uac = UacCall::new(7);
    assert_eq!(labels(&h.send(uac.cancel())), ["481 CANCEL"]);
    h.drain();
}

#[test]
fn bye_before_ack_completes_the_call() {
    let mut h = Harness::with_policy(policy(0, 0, 0));
    let mut uac = UacCall::new(1);
    uac.learn_tag(&h.send(uac.invite())[0]);
    h.advance(ms(100));
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    assert!(h.advance(Duration::from_secs(5)).is_empty(), "no 200 retransmission after BYE");
    // The late ACK finds no call.
    assert!(h.send(uac.ack_2xx(1)).is_empty());
    let s = h.core.stats();
    assert_eq!((s.calls_completed, s.failed_ack_timeout), (1, 0));
    h.drain();
}

#[test]
fn bytes_per_call_of_1000_established_calls() {
    let mut h = Harness::new(CoreConfig { events: false, ..CoreConfig::default() });
    let mut calls = Vec::new();
    for i in 0..1000 {
        let mut uac = UacCall::new(i);
        let out = h.send(uac.invite_with("", Some(("application/sdp", &pcmu_offer()))));
        uac.learn_tag(only(&out, "200 INVITE"));
        h.send(uac.ack_2xx(1));
        calls.push(uac);
    }
    assert_eq!(h.core.table_sizes().calls, 1000);
    let per_call = h.core.bytes_per_call();
    println!("bytes_per_call with 1000 established calls: {per_call}");
    assert!(per_call > 0 && per_call < 2048, "bytes_per_call {per_call}");
    for uac in &mut calls {
        h.send(uac.in_dialog("BYE", None));
    }
    assert_eq!(h.core.stats().calls_completed, 1000);
    h.drain();
}
