//! The RTP relay's per-packet work: parse the RTP header and update the
//! RFC 3550 receiver statistics (sequence, loss, jitter). Budget (DESIGN:
//! 1,000 G.711 echo streams, 50k packets/s each way, no loss) leaves one
//! media thread 20 µs per packet; this part must be a small slice of it,
//! the rest being the receive and send system calls.

use criterion::{Criterion, criterion_group, criterion_main};
use sipbench::media::{ReceiverStats, parse_rtp, write_rtp_header};
use std::hint::black_box;

fn rtp_packets() -> Vec<Vec<u8>> {
    (0..256u16)
        .map(|seq| {
            let mut h = [0u8; 12];
            write_rtp_header(&mut h, 8, false, seq, u32::from(seq) * 160, 0x1234_5678);
            let mut p = h.to_vec();
            p.extend_from_slice(&[0xd5; 160]);
            p
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let packets = rtp_packets();
    c.bench_function("rtp_parse_header", |b| {
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 1) & 255;
            black_box(parse_rtp(black_box(&packets[i])))
        })
    });
    c.bench_function("rtp_parse_and_receiver_stats", |b| {
        let mut stats = ReceiverStats::default();
        let (mut seq, mut arrival) = (0u16, 0u32);
        b.iter(|| {
            let h = parse_rtp(black_box(&packets[usize::from(seq & 255)])).expect("valid RTP");
            arrival = arrival.wrapping_add(160 + u32::from(seq & 3));
            stats.on_packet(seq, h.ssrc, u32::from(seq).wrapping_mul(160), arrival);
            seq = seq.wrapping_add(1);
            black_box(stats.jitter)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
