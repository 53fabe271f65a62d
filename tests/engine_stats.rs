//! Reading the counters: `Engine::stats_into` refills one report in place
//! (the binaries' sample a second) and must match a fresh
//! `Engine::stats()` however often it is called, with its histograms
//! refreshed only when asked.

mod common;

use std::time::{Duration, Instant};

use common::api::*;
use sipbench::{Config, OutgoingCall, ShardReport};

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

    let mut counters_only = ShardReport::new(usize::MAX);
    callee.stats_into(&mut counters_only, false);
    assert_eq!(counters_only.core, total.core);
    assert_eq!(counters_only.setup_us.len(), 0, "histograms are left alone unless asked for");

    let mut refilled = ShardReport::new(usize::MAX);
    for round in 0..3 {
        callee.stats_into(&mut refilled, round != 1);
        assert_eq!(refilled.core, total.core, "round {round}: counted once, not added to the last refill");
        assert_eq!(
            (refilled.datagrams_in, refilled.handoffs_out, refilled.conns),
            (total.datagrams_in, total.handoffs_out, total.conns),
            "round {round}"
        );
        assert_eq!(refilled.setup_us.len(), CALLS, "round {round}: each call's setup once");
        assert_eq!(refilled.service_ns.len(), total.service_ns.len(), "round {round}");
        assert_eq!(refilled.setup_us.max(), total.setup_us.max(), "round {round}");
    }
    caller.shutdown(WAIT);
    callee.shutdown(WAIT);
}
