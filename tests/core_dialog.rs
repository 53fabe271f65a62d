//! `ShardCore` mid-dialog scenarios: hold and resume (far end and by
//! command), glare, server-side hang-up with a lost BYE answer, and the
//! reject policy with Timer G. Each ends with `drain`.

mod common;

use std::time::Duration;

use bytes::Bytes;

use common::{Harness, UacCall, labels, ms, only, respond, respond_with, sdp as offer};
use sipbench::core::CallHandle;
use sipbench::core::{Command, EventKind, MediaCommand, OnHold};
use sipbench::dialog::{CallPolicy, EndReason};
use sipbench::sip::sdp::{self, Direction};
use sipbench::sip::{Message, Method};

/// The direction of the (first) audio stream of a message's SDP.
fn direction(m: &Message) -> Direction {
    let s = sdp::parse(m.body()).expect("SDP body");
    s.media[0].effective_direction(&s)
}

/// An answered and ACKed call; returns the UAC side and the call handle.
fn established(h: &mut Harness, i: u64) -> (UacCall, CallHandle) {
    let mut uac = UacCall::new(i);
    let out = h.send(uac.invite());
    uac.learn_tag(only(&out, "200 INVITE"));
    let handle = h.handles[0];
    h.send(uac.ack_2xx(1));
    h.take_events();
    (uac, handle)
}

fn pcmu(dir: &str) -> String {
    offer(&[(0, "PCMU/8000")], Some(dir))
}

#[test]
fn far_end_hold_and_resume() {
    let mut h = Harness::with_policy(CallPolicy::default());
    let (mut uac, _) = established(&mut h, 1);
    let hold = uac.in_dialog("INVITE", Some(("application/sdp", &pcmu("sendonly"))));
    let out = h.send(hold);
    let ok = only(&out, "200 INVITE");
    assert_eq!(direction(ok), Direction::RecvOnly);
    assert_eq!(h.take_events(), [EventKind::Held]);
    assert!(matches!(h.media.last(), Some(MediaCommand::Direction { send: false, .. })));
    assert!(h.send(uac.ack_2xx(uac.cseq)).is_empty());

    let resume = uac.in_dialog("INVITE", Some(("application/sdp", &pcmu("sendrecv"))));
    let out = h.send(resume);
    assert_eq!(direction(only(&out, "200 INVITE")), Direction::SendRecv);
    assert_eq!(h.take_events(), [EventKind::Resumed]);
    assert!(matches!(h.media.last(), Some(MediaCommand::Direction { send: true, .. })));
    h.send(uac.ack_2xx(uac.cseq));
    assert!(h.advance(Duration::from_secs(5)).is_empty(), "ACKed 2xx not retransmitted");

    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    assert_eq!(h.core.stats().calls_completed, 1);
    h.drain();
}

#[test]
fn hold_and_resume_by_command() {
    let mut h = Harness::with_policy(CallPolicy::default());
    let (mut uac, call) = established(&mut h, 1);
    for (seq, cmd, dir, event) in [
        (1, Command::Hold(call, OnHold::Music), Direction::SendOnly, EventKind::Held),
        (2, Command::Resume(call), Direction::SendRecv, EventKind::Resumed),
    ] {
        let out = h.command(cmd).unwrap();
        let reinvite = only(&out, "INVITE").clone();
        assert_eq!(reinvite.cseq().unwrap().seq, seq);
        assert_eq!(reinvite.call_id(), uac.call_id);
        assert_eq!(reinvite.request_uri(), "sip:sipp@127.0.0.1:5061", "sent to the Contact");
        assert_eq!(reinvite.to().unwrap().tag(), Some(uac.from_tag.as_str()));
        assert_eq!(reinvite.from().unwrap().tag(), uac.to_tag.as_deref());
        assert_eq!(direction(&reinvite), dir);
        assert!(h.take_events().is_empty(), "no event before the answer");

        let answer = pcmu(if dir == Direction::SendOnly { "recvonly" } else { "sendrecv" });
        let ok = respond_with(&reinvite, 200, "OK", Some(("application/sdp", &answer)));
        let out = h.send(ok.clone());
        let ack = only(&out, "ACK");
        let cseq = ack.cseq().unwrap();
        assert_eq!((cseq.seq, cseq.method), (seq, Method::Ack), "ACK has the INVITE's CSeq number");
        assert_eq!(ack.call_id(), uac.call_id);
        assert_ne!(ack.via().unwrap().branch(), reinvite.via().unwrap().branch(), "2xx ACK: new branch");
        assert_eq!(h.take_events(), std::slice::from_ref(&event));
        // A retransmitted 2xx is ACKed again (RFC 3261 §13.2.2.4), no new event.
        assert_eq!(labels(&h.send(ok)), ["ACK"]);
        assert!(h.take_events().is_empty());
        assert!(h.advance(Duration::from_secs(2)).is_empty(), "no re-INVITE retransmission");
    }
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    h.drain();
}

#[test]
fn glare_gets_491() {
    let mut h = Harness::with_policy(CallPolicy::default());
    let (mut uac, call) = established(&mut h, 1);
    let out = h.command(Command::Hold(call, OnHold::Music)).unwrap();
    let ours = only(&out, "INVITE").clone();
    assert_eq!(h.command(Command::Resume(call)).err(), Some(sipbench::core::CommandError::Pending));

    uac.cseq += 1;
    let branch = uac.new_branch();
    let body = pcmu("sendonly");
    let theirs = uac.request("INVITE", &branch, uac.cseq, "", Some(("application/sdp", &body)));
    let out = h.send(theirs);
    let pending = only(&out, "491 INVITE");
    assert_eq!(pending.to().unwrap().tag(), uac.to_tag.as_deref(), "491 keeps the dialog tag");
    // ACK for the 491 (non-2xx: same branch as their re-INVITE) is absorbed.
    assert!(h.send(uac.request("ACK", &branch, uac.cseq, "", None)).is_empty());
    assert!(h.take_events().is_empty(), "their hold was refused");

    let ok = respond_with(&ours, 200, "OK", Some(("application/sdp", &pcmu("recvonly"))));
    assert_eq!(labels(&h.send(ok)), ["ACK"]);
    assert_eq!(h.take_events(), [EventKind::Held]);
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    h.drain();
}

#[test]
fn server_hangup_with_lost_bye_answer_fails_after_64_t1() {
    let policy = CallPolicy { hangup: ms(2000), ..CallPolicy::default() };
    let mut h = Harness::with_policy(policy);
    let (uac, _) = established(&mut h, 1);
    let mut sent = Vec::new();
    while let Some((at, out)) = h.next_send(Duration::from_secs(40)) {
        let bye = only(&out, "BYE");
        assert_eq!(bye.call_id(), uac.call_id);
        sent.push(at.as_millis() as u64);
    }
    // BYE at 2 s, Timer E 0.5, 1, 2, 4, 4… s; Timer F at 2 + 32 s.
    let want = [2000, 2500, 3500, 5500, 9500, 13_500, 17_500, 21_500, 25_500, 29_500, 33_500];
    assert_eq!(sent, want);
    let s = *h.core.stats();
    assert_eq!((s.failed_bye, s.calls_completed, s.active_calls), (1, 0, 0));
    let last = h.take_events().pop().unwrap();
    let EventKind::Terminated { reason, duration, .. } = last else { panic!("{last:?}") };
    assert_eq!((reason, duration), (EndReason::ByeFailed, ms(34_000)), "ends at Timer F");
    h.drain();
}

#[test]
fn server_hangup_answered_after_retransmission() {
    let policy = CallPolicy { hangup: ms(2000), ..CallPolicy::default() };
    let mut h = Harness::with_policy(policy);
    established(&mut h, 1);
    let (at, _) = h.next_send(Duration::from_secs(3)).unwrap();
    assert_eq!(at, ms(2000));
    let (at, out) = h.next_send(Duration::from_secs(3)).unwrap();
    assert_eq!(at, ms(2500));
    assert!(h.send(respond(only(&out, "BYE"), 200, "OK")).is_empty());
    let s = *h.core.stats();
    assert_eq!((s.calls_completed, s.failed_bye), (1, 0));
    assert!(h.advance(Duration::from_secs(5)).is_empty(), "no BYE after its 200");
    h.drain();
}

#[test]
fn reject_policy_retransmits_486_until_ack() {
    let policy = CallPolicy { reject_percent: 100, reject_code: 486, ..CallPolicy::default() };
    let mut h = Harness::with_policy(policy);
    let mut uac = UacCall::new(1);
    let out = h.send(uac.invite());
    let busy = only(&out, "486 INVITE").clone();
    assert!(busy.to().unwrap().tag().is_some(), "486 has a To tag");
    uac.learn_tag(&busy);
    let sent: Vec<(Duration, Vec<u8>)> =
        h.advance(ms(4000)).into_iter().map(|(at, m)| (at, m.as_bytes().to_vec())).collect();
    let instants: Vec<Duration> = sent.iter().map(|(at, _)| *at).collect();
    assert_eq!(instants, [ms(500), ms(1500), ms(3500)], "Timer G: 0.5, 1, 2 s");
    assert!(sent.iter().all(|(_, b)| b == busy.as_bytes()));
    assert!(h.send(uac.ack_non2xx()).is_empty());
    assert!(h.advance(Duration::from_secs(10)).is_empty(), "no 486 after the ACK");
    let s = *h.core.stats();
    assert_eq!((s.calls_received, s.calls_rejected, s.calls_answered), (1, 1, 0));
    let last = h.take_events().pop().unwrap();
    assert!(matches!(last, EventKind::Terminated { reason: EndReason::Rejected(486), .. }));
    h.drain();
}

#[test]
fn crossing_byes_leave_a_reused_call_slot_alone() {
    let policy = CallPolicy { hangup: ms(1000), ..CallPolicy::default() };
    let mut h = Harness::with_policy(policy);
    let (mut a, _) = established(&mut h, 1);
    let (at, out) = h.next_send(Duration::from_secs(2)).unwrap();
    assert_eq!(at, ms(1000));
    let our_bye = only(&out, "BYE").clone();
    // The caller hung up at the same moment: its BYE arrives first.
    assert_eq!(labels(&h.send(a.in_dialog("BYE", None))), ["200 BYE"]);
    assert_eq!(h.core.stats().calls_completed, 1);
    // A new call takes the freed slot…
    let (mut b, _) = established(&mut h, 2);
    // …then the answer to our BYE for the first call arrives.
    assert!(h.send(respond(&our_bye, 200, "OK")).is_empty());
    let s = *h.core.stats();
    assert_eq!((s.calls_completed, s.failed_bye, s.active_calls), (1, 0, 1), "the new call is untouched");
    assert!(h.take_events().is_empty(), "no event for the new call");
    assert_eq!(labels(&h.send(b.in_dialog("BYE", None))), ["200 BYE"]);
    assert_eq!(h.core.stats().calls_completed, 2);
    h.drain();
}

#[test]
fn late_ack_for_the_first_2xx_does_not_confirm_a_reinvite() {
    let mut h = Harness::with_policy(CallPolicy::default());
    let mut uac = UacCall::new(1);
    uac.learn_tag(only(&h.send(uac.invite()), "200 INVITE"));
    let first_ack = uac.ack_2xx(1);
    h.send(first_ack.clone());
    let reinvite = uac.in_dialog("INVITE", Some(("application/sdp", &pcmu("sendonly"))));
    only(&h.send(reinvite), "200 INVITE");
    // A delayed copy of the first ACK (CSeq 1) is not the ACK for CSeq 2.
    assert!(h.send(first_ack).is_empty());
    let (at, out) = h.next_send(Duration::from_secs(1)).expect("2xx still retransmitted");
    assert_eq!((at, out[0].cseq().unwrap().seq), (ms(500), 2));
    assert!(h.send(uac.ack_2xx(2)).is_empty());
    assert!(h.advance(Duration::from_secs(5)).is_empty(), "ACKed now");
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    assert_eq!(h.core.stats().calls_completed, 1);
    h.drain();
}

#[test]
fn hangup_command_before_ack_waits_for_the_ack() {
    // RFC 3261 §15: the UAS must not send BYE before the ACK arrives.
    let mut h = Harness::with_policy(CallPolicy::default());
    let mut uac = UacCall::new(1);
    let out = h.send(uac.invite());
    uac.learn_tag(only(&out, "200 INVITE"));
    let handle = h.handles[0];
    assert!(h.command(Command::Hangup(handle)).unwrap().is_empty(), "no BYE before the ACK");
    let out = h.send(uac.ack_2xx(1));
    let bye = only(&out, "BYE").clone();
    assert!(h.send(respond(&bye, 200, "OK")).is_empty());
    let s = *h.core.stats();
    assert_eq!((s.calls_completed, s.calls_failed()), (1, 0));
    h.drain();
}

#[test]
fn bye_while_ringing_counts_as_cancelled() {
    let policy = CallPolicy { ring: ms(2000), ..CallPolicy::default() };
    let mut h = Harness::with_policy(policy);
    let mut uac = UacCall::new(1);
    let out = h.send(uac.invite());
    uac.learn_tag(only(&out, "180 INVITE"));
    let out = h.send(uac.in_dialog("BYE", None));
    only(&out, "200 BYE");
    only(&out, "487 INVITE");
    h.send(uac.ack_non2xx());
    let s = *h.core.stats();
    assert_eq!((s.calls_cancelled, s.calls_completed), (1, 0));
    h.drain();
}

#[test]
fn rfc2543_peers_without_branch_are_matched_by_the_old_rules() {
    // No branch at all (RFC 2543): transactions are told apart by
    // Request-URI, From tag, Call-ID, CSeq and Via (RFC 3261 §17.2.3).
    let policy = CallPolicy { reject_percent: 100, reject_code: 486, ..CallPolicy::default() };
    let mut h = Harness::with_policy(policy);
    let strip = |b: Bytes| Bytes::from(String::from_utf8_lossy(&b).replace(";branch=2543", ""));
    let mut first = UacCall::new(1);
    let mut second = UacCall::new(2);
    first.invite_branch = "2543".to_string();
    second.invite_branch = "2543".to_string();
    let out = h.send(strip(first.invite()));
    let busy = only(&out, "486 INVITE").clone();
    first.learn_tag(&busy);
    // A different call with the same (absent) branch is a new call.
    second.learn_tag(only(&h.send(strip(second.invite())), "486 INVITE"));
    // A retransmission of the first INVITE gets its 486 again.
    let again = h.send(strip(first.invite()));
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].as_bytes(), busy.as_bytes());
    // The ACKs end Timer G for both.
    assert!(h.send(strip(first.ack_non2xx())).is_empty());
    assert!(h.send(strip(second.ack_non2xx())).is_empty());
    assert!(h.advance(Duration::from_secs(10)).is_empty(), "no 486 after the ACKs");
    let s = *h.core.stats();
    assert_eq!((s.calls_received, s.calls_rejected, s.stray_acks), (2, 2, 0));
    h.drain();
}

#[test]
fn bye_retransmission_gets_the_same_200_and_is_counted() {
    let mut h = Harness::with_policy(CallPolicy::default());
    let mut uac = UacCall::new(1);
    let out = h.send(uac.invite());
    uac.learn_tag(only(&out, "200 INVITE"));
    h.send(uac.ack_2xx(1));
    let bye = uac.in_dialog("BYE", None);
    let ok = only(&h.send(bye.clone()), "200 BYE").clone();
    let again = h.send(bye);
    assert_eq!(again.len(), 1, "the NIST answers the retransmission");
    assert_eq!(again[0].as_bytes(), ok.as_bytes());
    let s = *h.core.stats();
    assert_eq!((s.retransmissions_in, s.retransmissions, s.calls_completed), (1, 1, 1));
    h.drain();
}
