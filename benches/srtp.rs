//! SRTP's per-packet work on a G.711 packet (12-byte header, 160-byte
//! payload): protect and unprotect for each suite, beside the plain RTP
//! header write and parse the relay does anyway, measured in the same run.
//! The relay's budget (DESIGN: SRTP at most 1.5x plain RTP CPU per packet
//! relayed, about 5.6 µs of which is system calls) leaves room for a few
//! hundred nanoseconds each way.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use sipbench::media::{MasterKey, SRTP_MAX_TRAILER, SrtpContext, SrtpSuite, parse_rtp, write_rtp_header};

const PACKET: usize = 12 + 160;

fn plain(seq: u16, buf: &mut [u8]) {
    let mut h = [0u8; 12];
    write_rtp_header(&mut h, 8, false, seq, u32::from(seq).wrapping_mul(160), 0x1234_5678);
    buf[..12].copy_from_slice(&h);
    buf[12..PACKET].fill(0xd5);
}

fn bench(c: &mut Criterion) {
    let mut buf = [0u8; PACKET + SRTP_MAX_TRAILER];
    c.bench_function("rtp_plain_write_and_parse_172", |b| {
        let mut seq = 0u16;
        b.iter(|| {
            seq = seq.wrapping_add(1);
            plain(seq, &mut buf);
            black_box(parse_rtp(black_box(&buf[..PACKET])).map(|h| h.seq))
        })
    });
    for suite in SrtpSuite::ALL {
        let key = MasterKey::generate(suite).expect("OS random");
        let mut tx = SrtpContext::new(std::slice::from_ref(&key)).expect("one key");
        // Criterion calls the closure once per phase: the sequence number
        // lives outside it so indices only go forward.
        let mut seq = 0u16;
        c.bench_function(&format!("srtp_protect_172/{suite}"), |b| {
            b.iter(|| {
                seq = seq.wrapping_add(1);
                plain(seq, &mut buf);
                black_box(tx.protect_rtp(black_box(&mut buf), PACKET).expect("protects"))
            })
        });
        // Unprotect needs a new packet each time (the replay window): the
        // sender protects it outside the timed part.
        let mut tx = SrtpContext::new(std::slice::from_ref(&key)).expect("one key");
        let mut rx = SrtpContext::new(&[key]).expect("one key");
        let mut seq = 0u16;
        c.bench_function(&format!("srtp_unprotect_172/{suite}"), |b| {
            b.iter_batched_ref(
                || {
                    seq = seq.wrapping_add(1);
                    let mut p = [0u8; PACKET + SRTP_MAX_TRAILER];
                    plain(seq, &mut p);
                    let n = tx.protect_rtp(&mut p, PACKET).expect("protects");
                    (p, n)
                },
                |(p, n)| black_box(rx.unprotect_rtp(&mut p[..*n]).expect("authentic")),
                BatchSize::SmallInput,
            )
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
