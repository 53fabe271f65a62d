//! A whole UAS call in-process through `ShardCore`: INVITE → 100/200, ACK,
//! BYE → 200, plus the timer work the call leaves behind (Timers J and L
//! expire inside the measurement). Budget (DESIGN.md): <= 3 µs of one core
//! per call. Datagrams are pre-built (the peer's work, not ours).

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use sipbench::core::{CoreConfig, Outbox, ShardCore};

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

/// The To tag the core will give call `n` (its tags are `<shard>x<counter>`).
fn predicted_tag(core_ids_before: u64) -> String {
    format!("0x{:x}", core_ids_before + 1)
}

fn whole_call(c: &mut Criterion) {
    let from: SocketAddr = "127.0.0.1:5061".parse().unwrap();
    c.bench_function("call/uas_invite_ack_bye", |b| {
        b.iter_custom(|iters| {
            let epoch = Instant::now();
            let cfg = CoreConfig { events: false, ..CoreConfig::default() };
            let mut core = ShardCore::new(cfg, epoch);
            let mut out = Outbox::default();
            // Each INVITE mints exactly one id (its To tag); ACK and BYE mint none.
            // Datagrams are built per chunk outside the timed region.
            let mut now = epoch;
            let mut elapsed = Duration::ZERO;
            let mut next = 0u64;
            while next < iters {
                let chunk: Vec<[Bytes; 3]> =
                    (next..iters.min(next + 1024)).map(|i| call_datagrams(i, &predicted_tag(i))).collect();
                next += chunk.len() as u64;
                let start = Instant::now();
                for [invite, ack, bye] in chunk {
                    core.on_datagram(now, from, invite, &mut out);
                    core.on_datagram(now, from, ack, &mut out);
                    core.on_datagram(now, from, bye, &mut out);
                    out.clear();
                }
                // Timers J and L of this chunk expire inside the measurement.
                now += Duration::from_secs(40);
                core.on_timers(now, &mut out);
                out.clear();
                elapsed += start.elapsed();
            }
            let s = core.stats();
            assert_eq!(s.calls_completed, iters, "every call must complete: {s:?}");
            black_box(core.table_sizes());
            elapsed
        })
    });
}

criterion_group!(benches, whole_call);
criterion_main!(benches);
