//! Reading the counters: `Engine::stats_into` refills one report in place
//! (the binaries' sample a second) and must match a fresh
//! `Engine::stats()` however often it is called, with its histograms
//! refreshed only when asked.

mod common;

use std::time::{Duration, Instant};

use common::api::*;
use sipbench::{Config, Engine, OutgoingCall, ShardReport};

const CALLS: u64 = 20;

#[test]
fn stats_into_refills_one_report_without_counting_twice() {
    let callee = start(builder());
    let caller = start(Config::builder().listen("127.0.0.1:0".parse().unwrap()).shards(1).pin(false));
    let target = format!("sip:bob@{}", callee.local_addr());
    let control = caller.control();
    for _ in 0..CALLS {
        let call =
            OutgoingCall::new(&target).from("sip:alice@127.0.0.1").hang_up_after(Duration::from_millis(5));
        control.place_call(call).wait().unwrap();
    }
    // The shards publish their counters five times a second and their
    // histograms once a second.
    let until = Instant::now() + WAIT;
    let total = loop {
        let t = callee.stats().total;
        if (t.core.calls_completed, t.setup_us.len()) == (CALLS, CALLS) || Instant::now() >= until {
            break t;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!((total.core.calls_completed, total.setup_us.len()), (CALLS, CALLS), "{:?}", total.core);
    assert!(total.datagrams_in >= 3 * CALLS, "INVITE, ACK and BYE of each call: {}", total.datagrams_in);

    caller.shutdown(WAIT);

    let mut counters_only = ShardReport::new(usize::MAX);
    let fresh = refill_between_reads(&callee, &mut counters_only, false);
    assert_eq!(counters_only.core, fresh.core);
    assert_eq!(counters_only.setup_us.len(), 0, "histograms are left alone unless asked for");

    let mut refilled = ShardReport::new(usize::MAX);
    for round in 0..3 {
        let fresh = refill_between_reads(&callee, &mut refilled, round != 1);
        assert_eq!(refilled.core, fresh.core, "round {round}: counted once, not added to the last refill");
        assert_eq!(
            (refilled.datagrams_in, refilled.handoffs_out, refilled.conns),
            (fresh.datagrams_in, fresh.handoffs_out, fresh.conns),
            "round {round}"
        );
        assert_eq!(refilled.setup_us.len(), CALLS, "round {round}: each call's setup once");
        assert_eq!(refilled.service_ns.len(), fresh.service_ns.len(), "round {round}");
        assert_eq!(refilled.setup_us.max(), fresh.setup_us.max(), "round {round}");
    }
    callee.shutdown(WAIT);
}

/// A refill between two fresh reads that agree, so no publication (a
/// late retransmission after a stall, say) changed what it read; the
/// fresh read returned.
fn refill_between_reads(engine: &Engine, into: &mut ShardReport, histograms: bool) -> ShardReport {
    let until = Instant::now() + WAIT;
    loop {
        let before = engine.stats().total;
        engine.stats_into(into, histograms);
        let after = engine.stats().total;
        let same = (before.core, before.datagrams_in, before.service_ns.len())
            == (after.core, after.datagrams_in, after.service_ns.len());
        if same || Instant::now() >= until {
            return after;
        }
    }
}
