//! RFC 3550 receiver statistics against hand-computed sequences: loss,
//! late and duplicate packets, wrap-around, jumps, SSRC restarts, the RR
//! fraction lost and A.8 jitter.

use sipbench::media::ReceiverStats;

fn feed(seqs: &[u16]) -> ReceiverStats {
    let mut s = ReceiverStats::default();
    for &q in seqs {
        s.on_packet(q, 1, u32::from(q) * 160, u32::from(q) * 160);
    }
    s
}

#[test]
fn gaps_are_lost_until_they_arrive_late() {
    let s = feed(&[10, 11, 13, 14, 17]);
    assert_eq!((s.expected(), s.received, s.lost(), s.late), (8, 5, 3, 0));
    let s = feed(&[10, 11, 13, 12, 14, 16, 15]);
    assert_eq!((s.expected(), s.received, s.lost(), s.late), (7, 7, 0, 2));
}

#[test]
fn duplicates_are_counted_once() {
    let s = feed(&[1, 2, 2, 3, 1, 4]);
    assert_eq!((s.received, s.duplicates, s.lost(), s.late), (4, 2, 0, 0));
}

#[test]
fn sequence_wraps_into_a_new_cycle() {
    let s = feed(&[65534, 65535, 0, 2]);
    assert_eq!((s.expected(), s.received, s.lost()), (5, 4, 1));
    assert_eq!(s.extended_highest(), 65536 + 2);
}

#[test]
fn a_jump_is_believed_only_when_followed() {
    let mut s = feed(&[100, 101]);
    assert!(!s.on_packet(40_000, 1, 0, 0));
    assert_eq!(s.received, 2);
    assert!(s.on_packet(40_001, 1, 0, 0));
    assert_eq!((s.restarts, s.received, s.expected(), s.lost()), (1, 3, 3, 0));
}

#[test]
fn fraction_lost_per_interval() {
    let mut s = feed(&[0, 1, 2, 3]);
    assert_eq!(s.fraction_lost_since_last(), 0);
    for q in [5u16, 7] {
        s.on_packet(q, 1, 0, 0);
    }
    // 4 expected (4..=7), 2 received: half lost = 128/256.
    assert_eq!(s.fraction_lost_since_last(), 128);
}

#[test]
fn jitter_follows_rfc3550_a8() {
    let mut s = ReceiverStats::default();
    // Transit times 0, 80, 0, 80 ...: |D| = 80 every packet.
    let mut expect = 0.0f64;
    for i in 0..50u32 {
        let arrival = i * 160 + if i % 2 == 1 { 80 } else { 0 };
        s.on_packet(i as u16, 9, i * 160, arrival);
        if i > 0 {
            expect += (80.0 - expect) / 16.0;
        }
    }
    assert!((s.jitter - expect).abs() < 1e-9, "{} vs {expect}", s.jitter);
    assert!(s.jitter > 70.0);
    let steady = feed(&(0..50).collect::<Vec<u16>>());
    assert_eq!(steady.jitter, 0.0);
}

#[test]
fn a_new_ssrc_restarts_the_sequence_space() {
    let mut s = feed(&[5, 6, 8]);
    s.on_packet(1000, 2, 0, 0);
    s.on_packet(1001, 2, 0, 0);
    assert_eq!((s.ssrc(), s.restarts, s.received, s.expected(), s.lost()), (2, 1, 5, 6, 1));
}
