//! A whole UAS call in-process through `ShardCore`: INVITE → 100/200, ACK,
//! BYE → 200, plus the timer work the call leaves behind (Timers J and L
//! expire inside the measurement). Budget (DESIGN.md): <= 3 µs of one core
//! per call. Datagrams are pre-built (the peer's work, not ours).
//!
//! The same call with 100,000 other calls established is the dialog table
//! check: each call inserts a dialog, looks it up twice (ACK, BYE) and
//! removes it, so the ratio of the two medians shows whether the tables
//! (calls by Call-ID, transactions) stay O(1) at 100k live entries.
//!
//! The same call at the steady state of 25k calls/s is the lingering
//! transaction check: the clock moves 40 µs per call, and the INVITE and
//! BYE transactions of the last 64·T1 (32 s: 800,000 calls, 1.6 million
//! transactions) linger, expiring as new ones come, in tables pre-sized
//! for that load (`reserve_server_transactions`) as a server is.

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use sipbench::core::{CoreConfig, IdKey, Outbox, ShardCore};

const SDP: &str = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

fn call_datagrams(i: u64, to_tag: &str) -> [Bytes; 3] {
    let head = |method: &str, branch: &str, cseq: u32, to: &str| {
        format!(
            "{method} sip:service@127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-{branch}-{i}\r\n\
From: sipp <sip:sipp@127.0.0.1:5061>;tag={i}SIPpTag00\r\nTo: service <sip:service@127.0.0.1:5060>{to}\r\n\
Call-ID: {i}-bench@127.0.0.1\r\nCSeq: {cseq} {method}\r\nContact: sip:sipp@127.0.0.1:5061\r\nMax-Forwards: 70\r\n\
Subject: Performance Test\r\n"
        )
    };
    let invite = format!(
        "{}Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{SDP}",
        head("INVITE", "inv", 1, ""),
        SDP.len()
    );
    let tag = format!(";tag={to_tag}");
    let ack = format!("{}Content-Length: 0\r\n\r\n", head("ACK", "ack", 1, &tag));
    let bye = format!("{}Content-Length: 0\r\n\r\n", head("BYE", "bye", 2, &tag));
    [Bytes::from(invite), Bytes::from(ack), Bytes::from(bye)]
}

/// The key the bench's core makes its identifiers with: fixed, so the
/// tags are known before the calls run.
fn key() -> IdKey {
    IdKey::from_bytes(*b"sipbench-bench-k")
}

/// The To tag the core will give call `n` (the core mints one token per
/// INVITE, in order).
fn predicted_tag(core_ids_before: u64) -> String {
    key().token(0, core_ids_before + 1)
}

/// A core holding `live` established calls (INVITE and ACK, no BYE), and
/// how many INVITEs it has seen (each mints one To tag).
struct Loaded {
    core: ShardCore,
    out: Outbox,
    now: Instant,
    seq: u64,
    /// The clock's move per call (None: 40 s per chunk, so every
    /// transaction of the chunk expires inside the measurement).
    spacing: Option<Duration>,
}

impl Loaded {
    fn new(live: u64) -> Loaded {
        let epoch = Instant::now();
        let cfg = CoreConfig {
            events: false,
            max_calls: live as usize + 4096,
            id_key: key(),
            ..CoreConfig::default()
        };
        let mut l = Loaded {
            core: ShardCore::new(cfg, epoch),
            out: Outbox::default(),
            now: epoch,
            seq: 0,
            spacing: None,
        };
        for i in 0..live {
            let [invite, ack, _] = call_datagrams(i, &predicted_tag(i));
            l.core.on_datagram(l.now, from(), invite, &mut l.out);
            l.core.on_datagram(l.now, from(), ack, &mut l.out);
            l.out.clear();
        }
        l.seq = live;
        // The warm-up calls' transactions end; the calls stay.
        l.now += Duration::from_secs(40);
        l.core.on_timers(l.now, &mut l.out);
        l.out.clear();
        assert_eq!(l.core.stats().active_calls, live);
        l
    }

    /// A core at the steady state of `rate` calls/s: the calls of the last
    /// 64·T1 have left their transactions lingering, in tables pre-sized
    /// for them with a quarter to spare.
    fn steady(rate: u64) -> Loaded {
        let epoch = Instant::now();
        let lingering = rate * 32;
        let cfg = CoreConfig {
            events: false,
            max_transactions: 4 * lingering as usize,
            id_key: key(),
            ..CoreConfig::default()
        };
        let mut core = ShardCore::new(cfg, epoch);
        core.reserve_server_transactions(lingering as usize * 5 / 4);
        let spacing = Some(Duration::from_secs(1) / rate as u32);
        let mut l = Loaded { core, out: Outbox::default(), now: epoch, seq: 0, spacing };
        l.calls(lingering);
        let live = l.core.table_sizes().server_txns as u64;
        assert!(live >= 2 * lingering * 99 / 100, "{live} lingering transactions");
        l
    }

    /// `iters` whole calls; the time spent in the core.
    fn calls(&mut self, iters: u64) -> Duration {
        let completed = self.core.stats().calls_completed;
        let mut elapsed = Duration::ZERO;
        let end = self.seq + iters;
        while self.seq < end {
            // Datagrams are built per chunk outside the timed region.
            let chunk: Vec<[Bytes; 3]> =
                (self.seq..end.min(self.seq + 1024)).map(|i| call_datagrams(i, &predicted_tag(i))).collect();
            self.seq += chunk.len() as u64;
            // The buffers are freed after the timed region, as they were
            // allocated before it (the transport's buffer work, not the
            // core's): the core drops a second handle to each.
            let keep = chunk.clone();
            let start = Instant::now();
            for [invite, ack, bye] in chunk {
                self.core.on_datagram(self.now, from(), invite, &mut self.out);
                self.core.on_datagram(self.now, from(), ack, &mut self.out);
                self.core.on_datagram(self.now, from(), bye, &mut self.out);
                self.out.clear();
                self.now += self.spacing.unwrap_or_default();
            }
            // Timers J and L of this chunk expire inside the measurement
            // (at a steady rate: those of the calls 64·T1 ago).
            self.now += if self.spacing.is_some() { Duration::ZERO } else { Duration::from_secs(40) };
            self.core.on_timers(self.now, &mut self.out);
            self.out.clear();
            elapsed += start.elapsed();
            drop(keep);
        }
        let done = self.core.stats().calls_completed - completed;
        assert_eq!(done, iters, "every call must complete");
        black_box(self.core.table_sizes());
        elapsed
    }
}

fn from() -> SocketAddr {
    "127.0.0.1:5061".parse().unwrap()
}

fn whole_call(c: &mut Criterion) {
    c.bench_function("call/uas_invite_ack_bye", |b| b.iter_custom(|iters| Loaded::new(0).calls(iters)));
    let mut loaded = Loaded::new(100_000);
    c.bench_function("call/uas_invite_ack_bye_100k_live", |b| b.iter_custom(|iters| loaded.calls(iters)));
    drop(loaded);
    let mut steady = Loaded::steady(25_000);
    c.bench_function("call/uas_invite_ack_bye_25k_steady", |b| b.iter_custom(|iters| steady.calls(iters)));
}

criterion_group!(benches, whole_call);
criterion_main!(benches);
