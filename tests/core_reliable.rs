//! Reliable provisional responses (RFC 3262), sans-IO on a fake clock:
//! as UAS our 180/183 goes with Require: 100rel and RSeq when the caller
//! supports it, is resent from T1 doubling until its PRACK, the 200 waits
//! for that PRACK, none in 64·T1 gets 504; early media (183 with our SDP
//! answer); PRACKs that match nothing get 481; the reliable 183 and the
//! PRACK lost. As UAC: Supported: 100rel, each reliable provisional
//! PRACKed once, in RSeq order.

mod common;

use std::time::Duration;

use common::{Harness, UacCall, hdr, label, labels, ms, only, pcmu_offer, reply};
use sipbench::core::{
    Accept, CallHandler, CoreConfig, Decision, EventKind, IncomingCall, MediaCommand, OutgoingCall,
};
use sipbench::dialog::EndReason;
use sipbench::sip::Message;

struct Always(Decision);

impl CallHandler for Always {
    fn on_incoming(&mut self, _call: &IncomingCall<'_>) -> Decision {
        self.0.clone()
    }
}

fn harness(decision: impl Into<Decision>) -> Harness {
    let mut h = Harness::new(CoreConfig::default());
    h.core.set_handler(Box::new(Always(decision.into())));
    h
}

const SUPPORTED: &str = "Supported: 100rel\r\n";

fn invite(uac: &UacCall, extra: &str) -> bytes::Bytes {
    uac.invite_with(extra, Some(("application/sdp", &pcmu_offer())))
}

/// A PRACK in the early dialog with this RAck value.
fn prack(uac: &mut UacCall, rack: &str) -> bytes::Bytes {
    uac.cseq += 1;
    let b = uac.new_branch();
    let extra = if rack.is_empty() { String::new() } else { format!("RAck: {rack}\r\n") };
    uac.request("PRACK", &b, uac.cseq, &extra, None)
}

fn rseq(m: &Message) -> u32 {
    hdr(m, "RSeq").expect("an RSeq").parse().expect("RSeq is a number")
}

fn terminated(events: &[EventKind]) -> Vec<EndReason> {
    events
        .iter()
        .filter_map(|e| match e {
            EventKind::Terminated { reason, .. } => Some(*reason),
            _ => None,
        })
        .collect()
}

#[test]
fn a_reliable_180_is_resent_until_its_prack_and_the_200_waits_for_it() {
    let mut h = harness(Accept::now().ring_for(ms(100)));
    let mut uac = UacCall::new(1);
    let sent = h.send(invite(&uac, SUPPORTED));
    let ringing = only(&sent, "180 INVITE").clone();
    assert_eq!(hdr(&ringing, "Require"), Some("100rel"));
    assert!(hdr(&ringing, "Supported").is_some_and(|s| s.contains("100rel")));
    let n = rseq(&ringing);
    assert!((1..=i32::MAX as u32).contains(&n), "RSeq {n} in 1..2^31-1 (§3)");
    uac.learn_tag(&ringing);
    // No PRACK: the 180 again at T1, 3·T1, 7·T1 (the interval doubles),
    // byte for byte; the 200 due at 100 ms waits.
    let sent = h.advance(ms(3_600));
    let when: Vec<(Duration, String)> = sent.iter().map(|(at, m)| (*at, label(m))).collect();
    let at = |t| (ms(t), "180 INVITE".to_string());
    assert_eq!(when, [at(500), at(1_500), at(3_500)]);
    assert!(sent.iter().all(|(_, m)| m.as_bytes() == ringing.as_bytes()));
    // A PRACK naming another RSeq, or none, acknowledges nothing.
    assert_eq!(labels(&h.send(prack(&mut uac, &format!("{} 1 INVITE", n + 1)))), ["481 PRACK"]);
    assert_eq!(labels(&h.send(prack(&mut uac, ""))), ["400 PRACK"]);
    // The right one: 200 to the PRACK, then the 200 that waited.
    let sent = h.send(prack(&mut uac, &format!("{n} 1 INVITE")));
    assert_eq!(labels(&sent), ["200 PRACK", "200 INVITE"]);
    assert!(!sent[1].body().is_empty(), "the 180 carried no SDP: the 200 has the answer");
    // Acknowledged: no more 180s, and a second PRACK for it gets 481.
    assert!(h.advance(ms(8_000)).iter().all(|(_, m)| label(m) != "180 INVITE"), "retransmission stopped");
    assert_eq!(labels(&h.send(prack(&mut uac, &format!("{n} 1 INVITE")))), ["481 PRACK"]);
    h.send(uac.ack_2xx(1));
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    h.drain();
    assert_eq!(terminated(&h.events), [EndReason::RemoteBye]);
}

#[test]
fn require_100rel_is_met_and_unknown_extensions_still_get_420() {
    let mut h = harness(Accept::now().ring_for(ms(100)));
    let uac = UacCall::new(2);
    let sent = h.send(invite(&uac, "Require: 100rel\r\n"));
    assert_eq!(hdr(only(&sent, "180 INVITE"), "Require"), Some("100rel"));
    let other = UacCall::new(3);
    let sent = h.send(invite(&other, "Require: 100rel, foo\r\n"));
    assert_eq!(hdr(only(&sent, "420 INVITE"), "Unsupported"), Some("foo"));
    // Without 100rel the 180 goes as before: no Require, no RSeq.
    let plain = UacCall::new(4);
    let sent = h.send(invite(&plain, ""));
    let ringing = only(&sent, "180 INVITE");
    assert_eq!((hdr(ringing, "Require"), hdr(ringing, "RSeq")), (None, None));
}

#[test]
fn no_prack_in_64_t1_rejects_the_invite_with_504() {
    let mut h = harness(Accept::now().ring_for(ms(100)));
    let uac = UacCall::new(5);
    h.send(invite(&uac, SUPPORTED));
    let sent = h.advance(ms(31_999));
    assert!(sent.iter().all(|(_, m)| label(m) == "180 INVITE"), "{:?}", sent.len());
    // 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s: six retransmissions.
    assert_eq!(sent.len(), 6);
    let sent = h.advance(ms(1));
    assert_eq!(sent.iter().map(|(_, m)| label(m)).collect::<Vec<_>>(), ["504 INVITE"]);
    h.send(uac.ack_non2xx());
    h.drain();
    assert_eq!(terminated(&h.events), [EndReason::Rejected(504)]);
    assert!(
        h.events.iter().any(|e| matches!(e, EventKind::Error { detail, .. } if detail.contains("PRACK")))
    );
}

#[test]
fn early_media_is_a_reliable_183_with_the_answer_and_the_stream_runs_before_the_200() {
    let mut h = harness(Accept::now().early_media().answer_after(ms(200)));
    let mut uac = UacCall::new(6);
    let sent = h.send(invite(&uac, SUPPORTED));
    assert_eq!(labels(&sent), ["183 INVITE"], "no 100 Trying beside it");
    let progress = &sent[0];
    assert!(std::str::from_utf8(progress.body()).unwrap().contains("m=audio"), "the SDP answer");
    assert_eq!(hdr(progress, "Require"), Some("100rel"));
    assert!(matches!(h.media[..], [MediaCommand::Open { .. }]), "the stream opened with the 183");
    uac.learn_tag(progress);
    let n = rseq(progress);
    // The answer is due at 200 ms, but waits for the PRACK.
    assert!(h.advance(ms(300)).is_empty());
    let sent = h.send(prack(&mut uac, &format!("{n} 1 INVITE")));
    assert_eq!(labels(&sent), ["200 PRACK", "200 INVITE"]);
    assert!(sent[1].body().is_empty(), "the reliable 183 gave the answer (RFC 3261 §13.2.1)");
    assert_eq!(h.media.len(), 1, "the stream is not opened twice");
    h.send(uac.ack_2xx(1));
    h.send(uac.in_dialog("BYE", None));
    h.drain();
}

#[test]
fn early_media_without_100rel_repeats_the_answer_in_the_200() {
    let mut h = harness(Accept::now().early_media().answer_after(ms(200)));
    let mut uac = UacCall::new(7);
    let sent = h.send(invite(&uac, ""));
    let progress = only(&sent, "183 INVITE");
    assert_eq!(hdr(progress, "RSeq"), None);
    assert!(!progress.body().is_empty());
    let (_, sent) = h.next_send(ms(1_000)).expect("the 200");
    let ok = only(&sent, "200 INVITE");
    assert_eq!(ok.body(), progress.body());
    uac.learn_tag(ok);
    h.send(uac.ack_2xx(1));
    h.send(uac.in_dialog("BYE", None));
    h.drain();
}

/// The reliable 183 lost on its way, then the PRACK lost: the 183 comes
/// again until a PRACK gets through, and the call is answered.
#[test]
fn the_reliable_183_and_its_prack_lost() {
    let mut h = harness(Accept::now().early_media().answer_after(ms(50)));
    let mut uac = UacCall::new(8);
    let lost = h.send(invite(&uac, SUPPORTED));
    assert_eq!(labels(&lost), ["183 INVITE"]);
    // The caller heard nothing: its INVITE again gets the 183 again.
    let again = h.send(invite(&uac, SUPPORTED));
    assert_eq!(again[0].as_bytes(), lost[0].as_bytes());
    uac.learn_tag(&again[0]);
    let n = rseq(&again[0]);
    // Its PRACK is lost; the 183 comes again at T1.
    let _lost_prack = prack(&mut uac, &format!("{n} 1 INVITE"));
    let (at, sent) = h.next_send(ms(2_000)).expect("a retransmission");
    assert_eq!((at, labels(&sent)), (ms(500), vec!["183 INVITE".to_string()]));
    // The UAC PRACKs the retransmission (a new transaction).
    let sent = h.send(prack(&mut uac, &format!("{n} 1 INVITE")));
    assert_eq!(labels(&sent), ["200 PRACK", "200 INVITE"]);
    h.send(uac.ack_2xx(1));
    h.send(uac.in_dialog("BYE", None));
    h.drain();
    assert_eq!(terminated(&h.events), [EndReason::RemoteBye]);
}

#[test]
fn options_and_dialog_responses_say_supported_100rel() {
    let mut h = harness(Decision::accept());
    let mut uac = UacCall::new(9);
    let sent = h.send(uac.invite());
    let ok = only(&sent, "200 INVITE");
    assert_eq!(hdr(ok, "Supported"), Some("100rel"));
    assert!(hdr(ok, "Allow").is_some_and(|a| a.contains("PRACK")));
    uac.learn_tag(ok);
    h.send(uac.ack_2xx(1));
    h.send(uac.in_dialog("BYE", None));
    h.drain();
}

/// As UAC: Supported: 100rel; each reliable provisional PRACKed once, in
/// RSeq order (a retransmission and one after a gap are not), in its
/// early dialog; later requests take CSeqs after the PRACKs'.
#[test]
fn our_calls_prack_reliable_provisionals_in_rseq_order() {
    let mut h = Harness::new(CoreConfig::default());
    let (_, sent) = h.place(&OutgoingCall::new("sip:bob@127.0.0.1:5061").hang_up_after(ms(1_000)));
    let inv = only(&sent, "INVITE").clone();
    assert_eq!(hdr(&inv, "Supported"), Some("100rel"));
    let rel = |n: u32| format!("Require: 100rel\r\nRSeq: {n}\r\nContact: <sip:bob@127.0.0.1:5071>\r\n");
    let sent = h.send(reply(&inv, 180, Some("b1"), &rel(41), None));
    let pr = only(&sent, "PRACK");
    assert_eq!(hdr(pr, "RAck"), Some("41 1 INVITE"));
    assert_eq!(pr.to_tag().unwrap(), Some("b1"), "in the early dialog");
    assert_eq!(pr.request_uri(), "sip:bob@127.0.0.1:5071", "to the provisional's Contact");
    assert_eq!(pr.cseq().unwrap().seq, 2);
    h.send(reply(pr, 200, Some("b1"), "", None));
    assert!(h.send(reply(&inv, 180, Some("b1"), &rel(41), None)).is_empty(), "a retransmission");
    assert!(h.send(reply(&inv, 183, Some("b1"), &rel(43), None)).is_empty(), "out of order");
    let sent = h.send(reply(&inv, 183, Some("b1"), &rel(42), None));
    assert_eq!(hdr(only(&sent, "PRACK"), "RAck"), Some("42 1 INVITE"));
    let pr2 = only(&sent, "PRACK").clone();
    h.send(reply(&pr2, 200, Some("b1"), "", None));
    // An unreliable provisional is not PRACKed.
    assert!(h.send(reply(&inv, 180, Some("b1"), "", None)).is_empty());
    let sent =
        h.send(reply(&inv, 200, Some("b1"), &rel(0)[rel(0).find("Contact").unwrap()..], Some(&pcmu_offer())));
    assert_eq!(only(&sent, "ACK").cseq().unwrap().seq, 1);
    let (_, sent) = h.next_send(ms(2_000)).expect("our BYE");
    let bye = only(&sent, "BYE");
    assert_eq!(bye.cseq().unwrap().seq, 4, "after the INVITE's 1 and the PRACKs' 2 and 3");
    h.send(reply(bye, 200, Some("b1"), "", None));
    h.drain();
    assert_eq!(h.core.stats().uac.pracks_sent, 2);
    // Without it: no Supported, and nothing is PRACKed either way.
    let (_, sent) = h.place(&OutgoingCall::new("sip:bob@127.0.0.1:5061").reliable_provisionals(false));
    assert_eq!(hdr(only(&sent, "INVITE"), "Supported"), None);
}
