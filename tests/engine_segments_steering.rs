//! A load generator on the same host as a multi-shard server: on loopback
//! a segmented run (UDP_SEGMENT) reaches the server's socket group unsplit,
//! so the kernel steering sees only the run's first datagram and the
//! server's shards hand the rest of the run off; with
//! `udp_segments(false)` every datagram is steered on its own and none is
//! handed off. Real UDP on loopback: a one-shard client engine connected
//! to a two-shard server, placing calls fast enough that its sends come in
//! runs.

mod common;

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use common::api::{builder, start};
use sipbench::runtime::LoadPlan;
use sipbench::transport::UdpSendMode;
use sipbench::{Config, Engine, OutgoingCall, PolicyHandler};

const CALLS: u64 = 2_000;

/// The server's hand-offs and completed calls after a one-shard client
/// placed `CALLS` calls at 20,000 calls/s, sending segmented runs or not.
fn server_hand_offs(segments: bool) -> (u64, u64) {
    let server = start(builder().max_inbox_delay(None));
    let target = format!("sip:load@{}", server.local_addr());
    let plan = LoadPlan {
        call: OutgoingCall::new(&target).hang_up_after(Duration::ZERO),
        rate: 20_000.0,
        max_calls: CALLS,
        concurrency: 5_000,
        cancel_percent: 0,
    };
    let client = Config::builder()
        .listen("127.0.0.1:0".parse().unwrap())
        .shards(1)
        .pin(false)
        .udp_peer(server.local_addr())
        .udp_segments(segments)
        .max_inbox_delay(None)
        .event_capacity(None)
        .load(plan)
        .build()
        .unwrap();
    let client = Engine::start(client, PolicyHandler::default()).unwrap();
    let until = Instant::now() + Duration::from_secs(60);
    while client.stats().total.core.uac.completed < CALLS && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    let placed = client.shutdown(Duration::from_secs(5)).total.core.uac;
    assert_eq!((placed.placed, placed.completed), (CALLS, CALLS), "every call completed");
    let total = server.shutdown(Duration::from_secs(5)).total;
    (total.handoffs_out, total.core.calls_completed)
}

#[test]
fn unsegmented_sends_reach_their_shards_without_hand_offs() {
    let (hand_offs, completed) = server_hand_offs(false);
    assert_eq!(completed, CALLS);
    if common::may_load_bpf() {
        assert_eq!(hand_offs, 0);
    } else {
        // No steering without the capability: one shard gets everything
        // from the one source and hands the other's calls over.
        assert!(hand_offs > 0);
    }
}

#[test]
fn segmented_runs_are_steered_by_their_first_datagram() {
    let kernel_segments = UdpSendMode::of(&UdpSocket::bind("127.0.0.1:0").unwrap()).segments;
    let (hand_offs, completed) = server_hand_offs(true);
    assert_eq!(completed, CALLS);
    if common::may_load_bpf() && !kernel_segments {
        assert_eq!(hand_offs, 0, "no runs without kernel segmentation");
    } else {
        // A run's datagrams belong to calls of both shards.
        assert!(hand_offs > 0);
    }
}
