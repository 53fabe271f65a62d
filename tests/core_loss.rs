//! Thousands of calls through a lossy network: every datagram, both ways,
//! is dropped with 10–20 % probability (deterministic LCG) and delayed
//! 1–30 ms (so reordered too). The UAC retransmits like a real one
//! (`common::sim`). Every call must end with exactly one defined outcome
//! that agrees with what the UAC saw, and afterwards the core is empty.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::sim::{Effects, Job, Lcg, Seen, UacState};
use common::{parse_sent, uac_addr};
use sipbench::core::CallHandle;
use sipbench::core::{CoreConfig, EventKind, Outbox, ShardCore};
use sipbench::dialog::{CallPolicy, EndReason};

struct Setup {
    calls: u64,
    loss_percent: u64,
    policy: CallPolicy,
    cancel_percent: u64,
    /// The UAC hangs up this many ms after the 200 (range), or never.
    uac_hold: Option<(u64, u64)>,
    seed: u64,
}

enum Ev {
    Start(usize),
    ToServer(Bytes),
    ToUac(Bytes),
    Timer(usize, Job, u32),
}

struct Sim {
    core: ShardCore,
    epoch: Instant,
    now: u64,
    out: Outbox,
    rng: Lcg,
    queue: BTreeMap<(u64, u64), Ev>,
    seq: u64,
    loss: u64,
    uacs: Vec<UacState>,
    /// Calls whose INVITE reached the server.
    invited: HashSet<usize>,
    by_handle: HashMap<CallHandle, usize>,
    ended: HashMap<usize, EndReason>,
}

impl Sim {
    fn at(&mut self, delay: u64, ev: Ev) {
        self.seq += 1;
        self.queue.insert((self.now + delay, self.seq), ev);
    }

    /// Puts a datagram on the wire: maybe lost, else delayed 1–30 ms.
    fn wire(&mut self, data: Bytes, to_server: bool) {
        if self.rng.percent(self.loss) {
            return;
        }
        let delay = 1 + self.rng.below(30);
        self.at(delay, if to_server { Ev::ToServer(data) } else { Ev::ToUac(data) });
    }

    fn apply(&mut self, call: usize, fx: Effects) {
        for d in fx.send {
            self.wire(d, true);
        }
        for (delay, job, generation) in fx.arm {
            self.at(delay, Ev::Timer(call, job, generation));
        }
    }

    /// Takes what the core produced: datagrams onto the wire, events noted.
    fn flush(&mut self) {
        let datagrams: Vec<_> = self.out.transmits.drain(..).collect();
        for d in datagrams {
            assert_eq!(d.to.addr, uac_addr());
            self.wire(d.data, false);
        }
        for e in self.out.events.drain(..) {
            match e.kind {
                EventKind::Incoming => {
                    let i = call_index(&e.info.call_id);
                    assert!(self.by_handle.insert(e.call, i).is_none(), "handle reused");
                }
                EventKind::Terminated { reason, .. } => {
                    let i = self.by_handle[&e.call];
                    assert!(self.ended.insert(i, reason).is_none(), "call {i} ended twice");
                }
                _ => {}
            }
        }
        self.out.media.clear();
    }
}

fn call_index(call_id: &str) -> usize {
    call_id.split('-').next().unwrap().parse().unwrap()
}

fn run(setup: Setup) -> Sim {
    let epoch = Instant::now();
    let cfg = CoreConfig { policy: setup.policy, ..CoreConfig::default() };
    let mut sim = Sim {
        core: ShardCore::new(cfg, epoch),
        epoch,
        now: 0,
        out: Outbox::default(),
        rng: Lcg(setup.seed),
        queue: BTreeMap::new(),
        seq: 0,
        loss: setup.loss_percent,
        uacs: Vec::new(),
        invited: HashSet::new(),
        by_handle: HashMap::new(),
        ended: HashMap::new(),
    };
    for i in 0..setup.calls as usize {
        let cancels = sim.rng.percent(setup.cancel_percent);
        sim.uacs.push(UacState::new(i as u64, cancels));
        sim.now = i as u64 * 10; // a new call every 10 ms
        sim.at(0, Ev::Start(i));
    }
    sim.now = 0;
    let limit = setup.calls * 10 + 200_000;
    loop {
        let next_ev = sim.queue.keys().next().map(|k| k.0);
        let next_timer = sim.core.next_deadline().map(|t| (t - sim.epoch).as_millis() as u64);
        let (t, timer) = match (next_ev, next_timer) {
            (None, None) => break,
            (Some(e), Some(t)) if t <= e => (t, true),
            (None, Some(t)) => (t, true),
            (Some(e), _) => (e, false),
        };
        sim.now = sim.now.max(t);
        assert!(sim.now < limit, "simulation does not settle: {:?}", sim.core.table_sizes());
        let instant = sim.epoch + Duration::from_millis(sim.now);
        if timer {
            sim.core.on_timers(instant, &mut sim.out);
            sim.flush();
            continue;
        }
        let (_, ev) = sim.queue.pop_first().unwrap();
        let mut fx = Effects::default();
        let call = match ev {
            Ev::Start(i) => {
                sim.uacs[i].begin(sim.now, &mut fx);
                i
            }
            Ev::ToServer(data) => {
                let m = parse_sent(data.clone());
                if m.method_name() == "INVITE" && m.cseq().unwrap().seq == 1 {
                    sim.invited.insert(call_index(m.call_id()));
                }
                sim.core.on_datagram(instant, uac_addr(), data, &mut sim.out);
                sim.flush();
                continue;
            }
            Ev::ToUac(data) => {
                let m = parse_sent(data);
                let i = call_index(m.call_id());
                let hold = setup.uac_hold.map(|(lo, hi)| lo + sim.rng.below(hi - lo + 1));
                sim.uacs[i].on_message(sim.now, &m, hold, &mut fx);
                i
            }
            Ev::Timer(i, job, generation) => {
                sim.uacs[i].on_timer(sim.now, job, generation, &mut fx);
                i
            }
        };
        sim.apply(call, fx);
    }
    sim
}

/// The checks every run must pass.
fn check(sim: &mut Sim, calls: u64) {
    let s = *sim.core.stats();
    println!("{s:#?}");
    let outcomes = s.calls_completed + s.calls_failed() + s.calls_cancelled + s.calls_rejected;
    assert_eq!(outcomes, s.calls_received, "every call ends exactly once");
    assert_eq!(s.calls_received, sim.invited.len() as u64, "one call per INVITE that arrived");
    assert!(s.calls_received > calls * 9 / 10);
    assert_eq!(sim.ended.len() as u64, s.calls_received, "a Terminated event per call");
    // Retransmission beats 10–20 % loss: a failure needs ~10 losses in a row.
    assert!(s.calls_failed() <= calls / 500, "too many failures: {}", s.calls_failed());
    for (&i, &reason) in &sim.ended {
        let seen = sim.uacs[i].seen;
        let ok = match seen {
            Seen::ByeAnswered(200) => reason == EndReason::RemoteBye,
            // The server ended it first (its own BYE, answered or not).
            Seen::ByeAnswered(481) => {
                matches!(reason, EndReason::LocalBye | EndReason::AckTimeout | EndReason::ByeFailed)
            }
            Seen::Final(487) => reason == EndReason::Cancelled,
            Seen::Final(486) => reason == EndReason::Rejected(486),
            // (RemoteBye too when the BYEs crossed.)
            Seen::ServerBye => !matches!(reason, EndReason::Cancelled | EndReason::Rejected(_)),
            Seen::Nothing | Seen::GaveUp => true,
            Seen::Final(_) | Seen::ByeAnswered(_) => false,
        };
        assert!(ok, "call {i}: UAC saw {seen:?}, server ended it {reason:?}");
    }
    // Time enough for every transaction timer: nothing is left.
    let later = sim.epoch + Duration::from_millis(sim.now + 40_000);
    sim.core.on_timers(later, &mut sim.out);
    assert!(sim.out.transmits.is_empty());
    assert!(sim.core.table_sizes().is_empty(), "{:?}", sim.core.table_sizes());
    assert_eq!(sim.core.next_deadline(), None);
    assert_eq!(s.active_calls, 0);
}

#[test]
fn lossy_calls_uac_hangs_up_with_cancels_and_rejects() {
    let policy = CallPolicy {
        ring: Duration::from_millis(300),
        answer: Duration::from_millis(200),
        reject_percent: 10,
        reject_code: 486,
        ..CallPolicy::default()
    };
    let setup = Setup {
        calls: 10_000,
        loss_percent: 10,
        policy,
        cancel_percent: 15,
        uac_hold: Some((0, 2000)),
        seed: 1,
    };
    let mut sim = run(setup);
    check(&mut sim, 10_000);
    let s = sim.core.stats();
    assert!(s.calls_completed > 4000 && s.calls_cancelled > 200 && s.calls_rejected > 400);
}

#[test]
fn lossy_calls_server_hangs_up_and_byes_cross() {
    let policy =
        CallPolicy { hangup: Duration::from_millis(1000), reject_percent: 5, ..CallPolicy::default() };
    let setup = Setup {
        calls: 2500,
        loss_percent: 20,
        policy,
        cancel_percent: 0,
        uac_hold: Some((500, 1500)),
        seed: 7,
    };
    let mut sim = run(setup);
    check(&mut sim, 2500);
}

#[test]
fn lossy_calls_heavy_loss_immediate_answer() {
    let setup = Setup {
        calls: 2000,
        loss_percent: 20,
        policy: CallPolicy::default(),
        cancel_percent: 0,
        uac_hold: Some((0, 100)),
        seed: 42,
    };
    let mut sim = run(setup);
    check(&mut sim, 2000);
}
