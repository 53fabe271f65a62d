//! Per-datagram bookkeeping outside the parser. Budgets (DESIGN.md): the
//! Call-ID scan must stay far cheaper than a parse (it runs on the
//! receiving shard for every datagram, hand-off or not); transaction
//! tables are O(1) at 100k live entries ("lock-free, shard-owned tables").

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use sipbench::runtime::{owner_shard, scan_call_id};
use sipbench::sip::Method;
use sipbench::txn::{TxnKey, TxnTable};

const INVITE: &[u8] = include_bytes!("../tests/data/sipp_invite.sip");

fn call_id_scan(c: &mut Criterion) {
    c.bench_function("dispatch/scan_call_id_and_owner", |b| {
        b.iter(|| {
            let id = scan_call_id(black_box(INVITE)).unwrap_or(b"");
            owner_shard(id, 16)
        })
    });
}

fn key(i: u64) -> TxnKey {
    TxnKey::client(&format!("z9hG4bK-{i:016x}"), Method::Invite, "INVITE")
}

fn txn_table(c: &mut Criterion) {
    const LIVE: u64 = 100_000;
    let mut table = TxnTable::default();
    for i in 0..LIVE {
        table.insert(key(i), i);
    }
    let probes: Vec<TxnKey> = (0..1024).map(|i| key(i * 97 % LIVE)).collect();
    let mut n = 0usize;
    c.bench_function("tables/txn_lookup_100k_live", |b| {
        b.iter(|| {
            n = (n + 1) % probes.len();
            table.find(black_box(&probes[n]))
        })
    });
    let mut next = LIVE;
    c.bench_function("tables/txn_insert_remove_100k_live", |b| {
        b.iter_batched(
            || {
                next += 1;
                key(next)
            },
            |k| {
                let slot = table.insert(k, 0);
                table.remove(slot)
            },
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, call_id_scan, txn_table);
criterion_main!(benches);
