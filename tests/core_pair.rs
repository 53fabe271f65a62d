//! Two-ended tests: a caller's `ShardCore` and a callee's `ShardCore`
//! (and, for a transfer, a third) talking to each other through a
//! simulated network with one fake clock (`common::pair`). Placing,
//! ringing, answering, holding and resuming, cancelling, rejecting,
//! ending from either side and a blind transfer, first on a clean
//! network, then with loss, delay and reordering.

mod common;

use std::time::Duration;

use common::pair::{Net, Pair};
use common::transferee::Transferee;
use sipbench::core::{CallHandle, Command, CoreConfig, EventKind, OnHold, OutgoingCall, TransferStatus};
use sipbench::dialog::{CallPolicy, EndReason};

const CALLER: usize = 0;
const CALLEE: usize = 1;
const TARGET: usize = 2;
const ADDRS: [&str; 3] = ["127.0.0.1:5070", "127.0.0.1:5080", "127.0.0.1:5090"];
const LIMIT: Duration = Duration::from_secs(40);

fn cfg(n: usize, policy: CallPolicy) -> CoreConfig {
    CoreConfig { local: ADDRS[n].parse().unwrap(), policy, ..CoreConfig::default() }
}

fn ring_then_answer(ring_ms: u64, answer_ms: u64) -> CallPolicy {
    CallPolicy {
        ring: Duration::from_millis(ring_ms),
        answer: Duration::from_millis(answer_ms),
        ..CallPolicy::default()
    }
}

/// A caller and a callee on a network with `loss` % loss and 1..=`jitter`
/// ms of delay.
fn pair(seed: u64, loss: u64, jitter: u64, callee: CallPolicy) -> Pair {
    let net = Net::new(seed, loss, (1, jitter));
    Pair::new(net, vec![cfg(CALLER, CallPolicy::default()), cfg(CALLEE, callee)])
}

fn call_to(n: usize) -> OutgoingCall {
    OutgoingCall::new(&format!("sip:bob@{}", ADDRS[n])).from("sip:alice@127.0.0.1").to("sip:bob@127.0.0.1")
}

/// The caller places a call; both ends once established: (caller's
/// handle, callee's handle).
fn established(p: &mut Pair) -> (CallHandle, CallHandle) {
    let a = p.place(CALLER, call_to(CALLEE));
    let up = |p: &Pair| {
        let b = p.nodes[CALLEE].first_incoming();
        p.nodes[CALLER].saw(a, &EventKind::Established)
            && b.is_some_and(|b| p.nodes[CALLEE].saw(b, &EventKind::Established))
    };
    assert!(p.run_until(LIMIT, up), "not established: {:?}", p.nodes[CALLER].events_of(a));
    (a, p.nodes[CALLEE].first_incoming().unwrap())
}

/// Holds or resumes from `n`, again after a refusal (the other end still
/// busy with the last exchange), until both ends saw `event`.
/// Hold with music on hold (the default).
fn hold(call: CallHandle) -> Command {
    Command::Hold(call, OnHold::Music)
}

fn re_invite(
    p: &mut Pair,
    n: usize,
    calls: [CallHandle; 2],
    cmd: fn(CallHandle) -> Command,
    event: EventKind,
) {
    let other = 1 - n;
    let seen = |p: &Pair, ev: &EventKind| {
        p.nodes[n].events_of(calls[n]).iter().filter(|e| *e == ev).count()
            + p.nodes[other].events_of(calls[other]).iter().filter(|e| *e == ev).count()
    };
    let before = seen(p, &event);
    for _ in 0..10 {
        let failed = |p: &Pair| {
            p.nodes[n]
                .events_of(calls[n])
                .iter()
                .filter(|e| matches!(e, EventKind::RequestFailed { .. }))
                .count()
        };
        let refused = failed(p);
        p.command(n, cmd(calls[n])).expect("the re-INVITE goes out");
        let done = |p: &Pair| seen(p, &event) >= before + 2 || failed(p) > refused;
        assert!(p.run_until(LIMIT, done), "no answer to the re-INVITE");
        if seen(p, &event) >= before + 2 {
            return;
        }
        p.run_for(Duration::from_secs(1));
    }
    panic!("{event:?} never got through");
}

/// Hangs up from `n`; both ends record the end, with matching reasons.
fn hang_up(p: &mut Pair, n: usize, calls: [CallHandle; 2]) {
    p.command(n, Command::Hangup(calls[n])).unwrap();
    let over =
        |p: &Pair| p.nodes[CALLER].ended(calls[0]).is_some() && p.nodes[CALLEE].ended(calls[1]).is_some();
    assert!(p.run_until(LIMIT, over), "the call did not end");
    assert_eq!(p.nodes[n].ended(calls[n]), Some(EndReason::LocalBye));
    assert_eq!(p.nodes[1 - n].ended(calls[1 - n]), Some(EndReason::RemoteBye));
}

#[test]
fn a_call_rings_is_answered_held_resumed_and_ended_by_the_caller() {
    let mut p = pair(1, 0, 5, ring_then_answer(100, 300));
    let (a, b) = established(&mut p);
    let kinds = |n: usize, h| -> Vec<String> {
        p.nodes[n]
            .events_of(h)
            .iter()
            .map(|e| format!("{e:?}").split([' ', '(', '{']).next().unwrap().to_owned())
            .collect()
    };
    assert_eq!(kinds(CALLER, a), ["Ringing", "MediaStarted", "Answered", "Established"]);
    assert_eq!(kinds(CALLEE, b), ["Incoming", "Ringing", "MediaStarted", "Answered", "Established"]);
    re_invite(&mut p, CALLER, [a, b], hold, EventKind::Held);
    re_invite(&mut p, CALLER, [a, b], Command::Resume, EventKind::Resumed);
    hang_up(&mut p, CALLER, [a, b]);
    let (ua, ub) = (p.nodes[CALLER].core.stats().uac, *p.nodes[CALLEE].core.stats());
    assert_eq!((ua.placed, ua.answered, ua.completed), (1, 1, 1));
    assert_eq!((ub.calls_received, ub.calls_answered, ub.calls_completed), (1, 1, 1));
    p.drain();
}

#[test]
fn the_callee_holds_and_ends_the_call() {
    let mut p = pair(2, 0, 5, CallPolicy::default());
    let (a, b) = established(&mut p);
    let calls = [a, b];
    re_invite(&mut p, CALLEE, calls, hold, EventKind::Held);
    hang_up(&mut p, CALLEE, calls);
    p.drain();
}

#[test]
fn the_caller_cancels_before_the_answer() {
    let mut p = pair(3, 0, 5, ring_then_answer(10, 10_000));
    let a = p.place(CALLER, call_to(CALLEE));
    assert!(p.run_until(LIMIT, |p| p.nodes[CALLER].saw(a, &EventKind::Ringing)));
    p.command(CALLER, Command::Hangup(a)).unwrap();
    let b = p.nodes[CALLEE].first_incoming().unwrap();
    assert!(p.run_until(LIMIT, |p| p.nodes[CALLER].ended(a).is_some()));
    assert_eq!(p.nodes[CALLER].ended(a), Some(EndReason::Cancelled));
    assert_eq!(p.nodes[CALLEE].ended(b), Some(EndReason::Cancelled));
    assert!(p.nodes[CALLER].sent.iter().any(|m| m.method_name() == "CANCEL"));
    assert_eq!(p.nodes[CALLEE].core.stats().calls_cancelled, 1);
    p.drain();
}

#[test]
fn a_rejected_call_ends_on_both_sides_with_the_status() {
    let reject = CallPolicy { reject_percent: 100, reject_code: 486, ..CallPolicy::default() };
    let mut p = pair(4, 0, 5, reject);
    let a = p.place(CALLER, call_to(CALLEE));
    assert!(p.run_until(LIMIT, |p| p.nodes[CALLER].ended(a).is_some()));
    assert_eq!(p.nodes[CALLER].ended(a), Some(EndReason::Rejected(486)));
    let b = p.nodes[CALLEE].first_incoming().unwrap();
    assert_eq!(p.nodes[CALLEE].ended(b), Some(EndReason::Rejected(486)));
    p.drain();
}

/// A caller, a callee that is also a transferee, and a target that rings
/// and answers; the caller transfers the callee to the target. Returns
/// the pair, the first call's handles and the transfer's progress as the
/// caller saw it.
fn transferred(net: Net) -> (Pair, [CallHandle; 2], Vec<TransferStatus>) {
    let cfgs = vec![
        cfg(CALLER, CallPolicy::default()),
        cfg(CALLEE, CallPolicy::default()),
        cfg(TARGET, ring_then_answer(10, 200)),
    ];
    let mut p = Pair::new(net, cfgs);
    p.interceptor = Some((CALLEE, Box::new(Transferee::default())));
    let (a, b) = established(&mut p);
    let target = format!("sip:carol@{}", ADDRS[TARGET]);
    p.command(CALLER, Command::Transfer { call: a, target }).unwrap();
    assert!(p.run_until(LIMIT, |p| p.nodes[CALLER].ended(a).is_some()), "{:?}", p.nodes[CALLER].events_of(a));
    let progress = p.nodes[CALLER]
        .events_of(a)
        .into_iter()
        .filter_map(|e| if let EventKind::Transfer(s) = e { Some(s) } else { None })
        .collect();
    (p, [a, b], progress)
}

#[test]
fn a_blind_transfer_is_reported_by_notify_and_ends_the_call() {
    // A fixed delay keeps the 202 ahead of the first NOTIFY, sent at the
    // same instant (either may come first, RFC 3515 §2.4.4).
    let (mut p, [a, b], progress) = transferred(Net::new(5, 0, (2, 2)));
    assert_eq!(
        progress,
        [
            TransferStatus::Accepted,
            TransferStatus::Trying(100),
            TransferStatus::Trying(180),
            TransferStatus::Succeeded(200)
        ]
    );
    assert_eq!(p.nodes[CALLER].ended(a), Some(EndReason::Transferred));
    assert!(p.run_until(LIMIT, |p| p.nodes[CALLEE].ended(b).is_some()));
    assert_eq!(p.nodes[CALLEE].ended(b), Some(EndReason::RemoteBye));
    // The transferee and the target are in a call of their own now.
    let c = p.nodes[TARGET].first_incoming().expect("the target was called");
    assert!(p.nodes[TARGET].saw(c, &EventKind::Established));
    p.command(TARGET, Command::Hangup(c)).unwrap();
    assert!(p.run_until(LIMIT, |p| p.nodes[TARGET].ended(c).is_some()));
    assert_eq!(p.nodes[CALLER].core.stats().uac.completed, 1);
    p.drain();
}

#[test]
fn calls_survive_loss_delay_and_reordering() {
    let (mut sent, mut lost) = (0, 0);
    for seed in 1..=8u64 {
        let mut p = pair(seed, 20, 60, ring_then_answer(50, 200));
        let (a, b) = established(&mut p);
        let calls = [a, b];
        let holder = (seed % 2) as usize;
        re_invite(&mut p, holder, calls, hold, EventKind::Held);
        re_invite(&mut p, holder, calls, Command::Resume, EventKind::Resumed);
        hang_up(&mut p, 1 - holder, calls);
        (sent, lost) = (sent + p.net.sent, lost + p.net.lost);
        p.drain();

        let mut p = pair(seed, 20, 60, ring_then_answer(10, 10_000));
        let a = p.place(CALLER, call_to(CALLEE));
        assert!(p.run_until(LIMIT, |p| p.nodes[CALLER].saw(a, &EventKind::Ringing)), "seed {seed}");
        p.command(CALLER, Command::Hangup(a)).unwrap();
        assert!(p.run_until(LIMIT, |p| p.nodes[CALLER].ended(a).is_some()), "seed {seed}");
        let b = p.nodes[CALLEE].first_incoming().unwrap();
        assert!(p.run_until(LIMIT, |p| p.nodes[CALLEE].ended(b).is_some()), "seed {seed}");
        assert_eq!(p.nodes[CALLER].ended(a), Some(EndReason::Cancelled), "seed {seed}");
        assert_eq!(p.nodes[CALLEE].ended(b), Some(EndReason::Cancelled), "seed {seed}");
        (sent, lost) = (sent + p.net.sent, lost + p.net.lost);
        p.drain();

        let (mut p, [a, _], progress) = transferred(Net::new(seed, 20, (1, 60)));
        assert_eq!(p.nodes[CALLER].ended(a), Some(EndReason::Transferred), "seed {seed}");
        // The 202 may come last: its REFER was resent after the NOTIFYs.
        assert!(progress.contains(&TransferStatus::Accepted), "seed {seed}: {progress:?}");
        let notified: Vec<_> = progress.iter().filter(|s| **s != TransferStatus::Accepted).collect();
        assert_eq!(notified.last(), Some(&&TransferStatus::Succeeded(200)), "seed {seed}: {progress:?}");
        let c = p.nodes[TARGET].first_incoming().expect("the target was called");
        p.command(TARGET, Command::Hangup(c)).unwrap();
        (sent, lost) = (sent + p.net.sent, lost + p.net.lost);
        p.drain();
    }
    assert!(lost * 100 >= sent * 10, "the network lost {lost} of {sent}: too few to test anything");
}

/// Answers calls by policy and accepts every REFER.
struct TakesRefers(sipbench::core::PolicyHandler);

impl sipbench::core::CallHandler for TakesRefers {
    fn on_incoming(&mut self, call: &sipbench::core::IncomingCall<'_>) -> sipbench::core::Decision {
        self.0.on_incoming(call)
    }

    fn on_refer(
        &mut self,
        _: CallHandle,
        _: &sipbench::core::IncomingRefer<'_>,
    ) -> sipbench::core::ReferDecision {
        sipbench::core::ReferDecision::Accept
    }
}

/// The core itself as transferee (RFC 3515): it takes the REFER, the
/// application places the call it names, and the NOTIFYs the core sends
/// on its own tell the transferor, who ends its call once the target
/// answered; on a clean network and on lossy ones.
#[test]
fn the_core_as_transferee_notifies_the_transferor() {
    for seed in 0..=4u64 {
        let loss = if seed == 0 { 0 } else { 20 };
        let cfgs = vec![
            cfg(CALLER, CallPolicy::default()),
            cfg(CALLEE, CallPolicy::default()),
            cfg(TARGET, ring_then_answer(10, 200)),
        ];
        let mut p = Pair::new(Net::new(seed, loss, (1, 40)), cfgs);
        p.nodes[CALLEE].core.set_handler(Box::new(TakesRefers(Default::default())));
        let (a, b) = established(&mut p);
        let target = format!("sip:carol@{}", ADDRS[TARGET]);
        p.command(CALLER, Command::Transfer { call: a, target: target.clone() }).unwrap();
        let referred =
            |p: &Pair| p.nodes[CALLEE].events_of(b).iter().any(|e| matches!(e, EventKind::Referred { .. }));
        assert!(p.run_until(LIMIT, referred), "seed {seed}");
        let said = p.nodes[CALLEE].events_of(b).into_iter().find_map(|e| match e {
            EventKind::Referred { target, referred_by } => Some((target, referred_by)),
            _ => None,
        });
        assert_eq!(said, Some((target.clone(), None)), "seed {seed}");
        let c = p.place(CALLEE, OutgoingCall::new(&target).referred(b, None));
        assert!(p.run_until(LIMIT, |p| p.nodes[CALLER].ended(a).is_some()), "seed {seed}");
        assert_eq!(p.nodes[CALLER].ended(a), Some(EndReason::Transferred), "seed {seed}");
        let progress: Vec<TransferStatus> = p.nodes[CALLER]
            .events_of(a)
            .into_iter()
            .filter_map(|e| if let EventKind::Transfer(s) = e { Some(s) } else { None })
            .collect();
        assert_eq!(progress.first(), Some(&TransferStatus::Accepted), "seed {seed}: {progress:?}");
        assert_eq!(progress.last(), Some(&TransferStatus::Succeeded(200)), "seed {seed}: {progress:?}");
        assert!(p.run_until(LIMIT, |p| p.nodes[CALLEE].ended(b).is_some()), "seed {seed}");
        assert!(p.nodes[CALLEE].saw(c, &EventKind::Established), "seed {seed}");
        p.command(CALLEE, Command::Hangup(c)).unwrap();
        assert!(p.run_until(LIMIT, |p| p.nodes[CALLEE].ended(c).is_some()), "seed {seed}");
        p.drain();
    }
}
