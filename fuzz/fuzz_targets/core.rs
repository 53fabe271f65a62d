//! Untrusted datagram sequences through a `ShardCore` on a fake clock.
//! Input records: `[wait: u8][len: u16 LE][datagram bytes]`, the wait in
//! 50 ms steps. Must never panic, and after a shutdown every table and
//! timer drains and every call it took is counted as ended.

#![no_main]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use sipbench::core::{Command, CoreConfig, Outbox, ShardCore};

fuzz_target!(|data: &[u8]| {
    let from: SocketAddr = "127.0.0.1:5061".parse().unwrap();
    let epoch = Instant::now();
    let mut core = ShardCore::new(CoreConfig { events: false, ..CoreConfig::default() }, epoch);
    let mut out = Outbox::default();
    let mut now = epoch;
    let mut rest = data;
    while let [wait, lo, hi, tail @ ..] = rest {
        let len = usize::from(u16::from_le_bytes([*lo, *hi])).min(tail.len());
        now += Duration::from_millis(u64::from(*wait) * 50);
        core.on_timers(now, &mut out);
        core.on_datagram(now, from, Bytes::copy_from_slice(&tail[..len]), &mut out);
        out.clear();
        rest = &tail[len..];
    }
    let _ = core.on_command(now, Command::Shutdown, &mut out);
    for _ in 0..2 {
        now += Duration::from_secs(70);
        core.on_timers(now, &mut out);
        let _ = core.on_command(now, Command::Abandon, &mut out);
        out.clear();
    }
    now += Duration::from_secs(40);
    core.on_timers(now, &mut out);
    assert!(core.table_sizes().is_empty(), "leaked: {:?}", core.table_sizes());
    let s = core.stats();
    let outcomes = s.calls_completed + s.calls_failed() + s.calls_cancelled + s.calls_rejected;
    assert_eq!(outcomes, s.calls_received, "{s:?}");
});
