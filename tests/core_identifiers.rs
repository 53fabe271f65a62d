//! Issue 26, defect 1, sans-IO: tags, branches and Call-IDs are unique
//! over space and time and unguessable (RFC 3261 sections 8.1.1.4,
//! 8.1.1.7, 19.3). Two "server processes" (each a fresh `IdKey`, two
//! shards sharing it, as an engine's do) answer 2,500 calls per shard
//! (their To tags), and two "client runs" place 2,500 calls per shard
//! (Call-IDs, From tags, INVITE branches). Across all of them nothing may
//! repeat, and each process's identifiers must vary in at least 32 bits.
//! Placed calls keep the routing property: each Call-ID hashes to the
//! shard that placed it. `tests/identifiers.rs` checks the same on the
//! wire with the real binaries and SIPp, on fewer calls.

mod common;

use std::collections::BTreeMap;
use std::net::SocketAddr;

use common::identifiers::{check_the_estimate, identifier_faults};
use common::{Harness, UacCall, only};
use sipbench::core::{CoreConfig, IdKey, OutgoingCall, owner_shard};
use sipbench::sip::HeaderName;

const PER_SHARD: u64 = 2_500;
const SHARDS: u16 = 2;

fn core(shard: u16, key: &IdKey, local: SocketAddr) -> Harness {
    let cfg = CoreConfig {
        shard,
        shards: SHARDS,
        id_key: key.clone(),
        local,
        events: false,
        ..CoreConfig::default()
    };
    Harness::new(cfg)
}

#[test]
fn the_estimate_tells_counters_from_random_identifiers() {
    check_the_estimate();
}

#[test]
fn ten_thousand_of_each_from_two_servers_and_two_client_runs_never_collide() {
    let (mut tags, mut branches, mut call_ids) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let local: SocketAddr = "127.0.0.1:5099".parse().unwrap();
    for process in 0..2 {
        let key = IdKey::default();
        let source = format!("server {process}");
        for shard in 0..SHARDS {
            let mut h = core(shard, &key, local);
            for i in 0..PER_SHARD {
                let uac = UacCall::new(u64::from(shard) * PER_SHARD + i);
                let out = h.send(uac.invite());
                let tag = only(&out, "200 INVITE").to().unwrap().tag().unwrap().to_string();
                tags.entry(source.clone()).or_insert_with(Vec::new).push(tag);
            }
        }
    }
    let target = "sip:service@127.0.0.1:5060";
    // The From names the address the core listens on, port included.
    let call = OutgoingCall::new(target);
    for run in 0..2 {
        let key = IdKey::default();
        let source = format!("client {run}");
        for shard in 0..SHARDS {
            let mut h = core(shard, &key, local);
            for _ in 0..PER_SHARD {
                let (_, out) = h.place(&call);
                let invite = only(&out, "INVITE");
                let call_id = invite.call_id().to_string();
                assert_eq!(
                    owner_shard(call_id.as_bytes(), usize::from(SHARDS)),
                    usize::from(shard),
                    "{call_id}"
                );
                let from = invite.from().unwrap();
                assert!(from.uri.ends_with("@127.0.0.1:5099"), "From {:?}", invite.header(HeaderName::From));
                tags.entry(source.clone()).or_insert_with(Vec::new).push(from.tag().unwrap().to_string());
                let branch = invite.via().unwrap().branch().unwrap().to_string();
                assert!(branch.starts_with("z9hG4bK"), "{branch}");
                branches.entry(source.clone()).or_insert_with(Vec::new).push(branch);
                call_ids.entry(source.clone()).or_insert_with(Vec::new).push(call_id);
            }
        }
    }
    let count = |m: &BTreeMap<String, Vec<String>>| m.values().map(Vec::len).sum::<usize>();
    assert_eq!((count(&tags), count(&branches), count(&call_ids)), (20_000, 10_000, 10_000));
    let mut faults = identifier_faults("tags", &tags, 32.0);
    faults.extend(identifier_faults("branches", &branches, 32.0));
    faults.extend(identifier_faults("Call-IDs", &call_ids, 32.0));
    assert!(faults.is_empty(), "identifiers repeat or count:\n{}", faults.join("\n"));
}

/// A fixed key makes a core's identifiers repeatable (what the call bench
/// relies on), and `IdKey::token` names them in minting order.
#[test]
fn a_fixed_key_repeats_its_identifiers() {
    let key = IdKey::from_bytes(*b"0123456789abcdef");
    let local: SocketAddr = "127.0.0.1:5060".parse().unwrap();
    let tags: Vec<Vec<String>> = (0..2)
        .map(|_| {
            let mut h = core(0, &key, local);
            (0..3)
                .map(|i| {
                    let out = h.send(UacCall::new(i).invite());
                    only(&out, "200 INVITE").to().unwrap().tag().unwrap().to_string()
                })
                .collect()
        })
        .collect();
    assert_eq!(tags[0], tags[1]);
    assert_eq!(tags[0], (1..=3).map(|n| key.token(0, n)).collect::<Vec<_>>());
    assert_eq!(format!("{key:?}"), "IdKey(..)", "Debug does not show the key");
}
