//! Random datagram sequences through a `ShardCore` (issue: robustness):
//! requests of a few calls in any order, retransmissions, answers to what
//! the core sent, corrupted copies and waits. Whatever arrives, the core
//! never panics, every call it took ends in a counted outcome, and after a
//! shutdown its tables and timers drain.

mod common;

use bytes::Bytes;
use common::*;
use proptest::prelude::*;
use sipbench::core::Command;
use sipbench::dialog::CallPolicy;
use sipbench::sip::Message;

/// One step of the peer.
#[derive(Debug, Clone)]
enum Op {
    Invite(usize),
    InviteNoSdp(usize),
    Ack(usize),
    AckNon2xx(usize),
    Cancel(usize),
    InDialog(usize, &'static str),
    /// Answers the last request the core sent, with this status.
    Reply(u16),
    /// Sends the previous datagram again.
    Retransmit,
    /// Sends the previous datagram with bytes overwritten (position seeds).
    Corrupt(Vec<(u16, u8)>),
    /// Sends the previous datagram cut short.
    Truncate(u16),
    Wait(u32),
}

fn op() -> impl Strategy<Value = Op> {
    let call = 0usize..3;
    prop_oneof![
        3 => call.clone().prop_map(Op::Invite),
        1 => call.clone().prop_map(Op::InviteNoSdp),
        3 => call.clone().prop_map(Op::Ack),
        1 => call.clone().prop_map(Op::AckNon2xx),
        1 => call.clone().prop_map(Op::Cancel),
        3 => (call, prop::sample::select(vec!["BYE", "INVITE", "INFO", "OPTIONS", "UPDATE", "REFER"]))
            .prop_map(|(c, m)| Op::InDialog(c, m)),
        2 => prop::sample::select(vec![200u16, 180, 481, 486, 491, 500]).prop_map(Op::Reply),
        2 => Just(Op::Retransmit),
        2 => prop::collection::vec((any::<u16>(), any::<u8>()), 1..4).prop_map(Op::Corrupt),
        1 => any::<u16>().prop_map(Op::Truncate),
        2 => prop::sample::select(vec![0u32, 100, 600, 4_000, 33_000]).prop_map(Op::Wait),
    ]
}

/// The peer: per-call UAC state, the last datagram it sent and the last
/// request it received.
struct Peer {
    calls: Vec<UacCall>,
    last_sent: Option<Bytes>,
    last_request: Option<Message>,
}

impl Peer {
    fn send(&mut self, h: &mut Harness, data: Bytes) {
        self.last_sent = Some(data.clone());
        self.observe(h.send(data));
    }

    fn observe(&mut self, out: Vec<Message>) {
        for m in out {
            if m.is_request() {
                self.last_request = Some(m);
            } else if let Some(c) = self.calls.iter_mut().find(|c| c.call_id == m.call_id()) {
                c.learn_tag(&m);
            }
        }
    }

    fn step(&mut self, h: &mut Harness, op: Op) {
        let sdp = pcmu_offer();
        let body = Some(("application/sdp", sdp.as_str()));
        let data = match op {
            Op::Invite(i) => self.calls[i].invite(),
            Op::InviteNoSdp(i) => self.calls[i].invite_with("", None),
            Op::Ack(i) => self.calls[i].ack_2xx(1),
            Op::AckNon2xx(i) => self.calls[i].ack_non2xx(),
            Op::Cancel(i) => self.calls[i].cancel(),
            Op::InDialog(i, "INVITE" | "UPDATE") => self.calls[i].in_dialog("INVITE", body),
            Op::InDialog(i, method) => self.calls[i].in_dialog(method, None),
            Op::Reply(code) => match &self.last_request {
                Some(req) => respond(req, code, "Random"),
                None => return,
            },
            Op::Retransmit => match &self.last_sent {
                Some(d) => d.clone(),
                None => return,
            },
            Op::Corrupt(edits) => match &self.last_sent {
                Some(d) if !d.is_empty() => {
                    let mut v = d.to_vec();
                    for (at, byte) in edits {
                        let n = v.len();
                        v[usize::from(at) % n] = byte;
                    }
                    Bytes::from(v)
                }
                _ => return,
            },
            Op::Truncate(at) => match &self.last_sent {
                Some(d) if !d.is_empty() => d.slice(..usize::from(at) % d.len()),
                _ => return,
            },
            Op::Wait(ms_) => {
                let sent = h.advance(ms(u64::from(ms_)));
                self.observe(sent.into_iter().map(|(_, m)| m).collect());
                return;
            }
        };
        self.send(h, data);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_never_panic_and_drain(
        ops in prop::collection::vec(op(), 1..40),
        answer_ms in prop::sample::select(vec![0u64, 300, 2_000]),
        ring in any::<bool>(),
        reject_percent in prop::sample::select(vec![0u8, 30]),
    ) {
        // Answering later and rejecting some let CANCEL, 180 and 4xx paths happen.
        let policy = CallPolicy {
            ring: if ring { ms(100) } else { ms(0) },
            answer: ms(answer_ms),
            reject_percent,
            ..CallPolicy::default()
        };
        let mut h = Harness::with_policy(policy);
        let mut peer =
            Peer { calls: (0..3).map(UacCall::new).collect(), last_sent: None, last_request: None };
        for op in ops {
            peer.step(&mut h, op);
        }
        // Shut down: answered calls get BYE (unanswered by this peer, so
        // they time out), then the deadline abandons whatever is left.
        let out = h.command(Command::Shutdown).unwrap_or_default();
        peer.observe(out);
        h.advance(ms(70_000));
        h.command(Command::Abandon).unwrap();
        h.drain();
        let s = h.core.stats();
        let outcomes = s.calls_completed + s.calls_failed() + s.calls_cancelled + s.calls_rejected;
        prop_assert_eq!(outcomes, s.calls_received, "every call ends counted: {:?}", s);
    }
}
