//! Issue 26, item 6, through the engine: `max_calls` (the server's
//! `--max-concurrent`) is the whole engine's count of live calls over its
//! shards, not a per-shard share. Real UDP on loopback, two shards, and
//! Call-IDs chosen to land on the shard each step needs.

mod common;

use common::api::*;
use common::udp_uac::UdpUac;
use sipbench::core::owner_shard;

/// A caller whose Call-ID hashes to `shard` of 2.
fn caller_on(engine: &sipbench::Engine, shard: usize, name: &str) -> UdpUac {
    let mut uac = UdpUac::new(engine.local_addr(), "limits");
    let base = uac.call_id.clone();
    uac.call_id = (0..)
        .map(|i| format!("{i}-{name}-{base}"))
        .find(|id| owner_shard(id.as_bytes(), 2) == shard)
        .expect("some suffix hashes there");
    uac
}

/// A call answered and ACKed.
fn up(uac: &mut UdpUac) {
    uac.invite();
    uac.expect_status(200, WAIT);
    uac.in_dialog("ACK");
}

/// The status a new call gets at once.
fn refused(uac: &mut UdpUac) -> String {
    uac.invite();
    let m = uac.expect_status(503, WAIT);
    m.reason().to_string()
}

#[test]
fn one_call_over_two_shards_admits_exactly_one() {
    let engine = start(builder().max_calls(1));
    let mut first = caller_on(&engine, 0, "a");
    up(&mut first);
    // The other shard has no share of its own to spend.
    assert!(refused(&mut caller_on(&engine, 1, "b")).contains("Call Limit"));
    assert!(refused(&mut caller_on(&engine, 0, "c")).contains("Call Limit"));
    first.in_dialog("BYE");
    first.expect_status(200, WAIT);
    up(&mut caller_on(&engine, 1, "d"));
    engine.shutdown(WAIT);
}

#[test]
fn calls_that_all_hash_to_one_shard_are_admitted_up_to_the_limit() {
    let engine = start(builder().max_calls(2));
    let mut calls = [caller_on(&engine, 1, "e"), caller_on(&engine, 1, "f")];
    for c in &mut calls {
        up(c);
    }
    assert!(refused(&mut caller_on(&engine, 0, "g")).contains("Call Limit"));
    for c in &mut calls {
        c.in_dialog("BYE");
        c.expect_status(200, WAIT);
    }
    engine.shutdown(WAIT);
}

/// Each shard's published server transaction room, once `published` holds
/// for it (or after WAIT).
fn server_txn_room(engine: &sipbench::Engine, published: impl Fn(&[usize]) -> bool) -> Vec<usize> {
    let until = std::time::Instant::now() + WAIT;
    loop {
        let rooms: Vec<usize> = engine.stats().shards.iter().map(|s| s.tables.server_txn_room).collect();
        if published(&rooms) || std::time::Instant::now() > until {
            return rooms;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn expected_rate_presizes_every_shards_server_tables_for_what_lingers() {
    // 20,000 calls/s over 2 shards: each shard's INVITE and non-INVITE
    // tables hold 64·T1 (32 s) of its 10,000 calls/s without growing.
    let engine = start(builder().expected_rate(Some(20_000.0)));
    let rooms = server_txn_room(&engine, |r| r.len() == 2 && r.iter().all(|r| *r > 0));
    assert_eq!(rooms.len(), 2);
    assert!(rooms.iter().all(|r| *r >= 320_000), "{rooms:?}");
    engine.shutdown(WAIT);
    // Without it the tables start small and grow with the load.
    let engine = start(builder());
    let rooms = server_txn_room(&engine, |r| r.len() == 2);
    assert!(rooms.iter().all(|r| *r < 320_000), "{rooms:?}");
    engine.shutdown(WAIT);
}
