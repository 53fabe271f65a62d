//! What we know of one incoming RTP stream (RFC 3550 A.1, A.3, A.8):
//! extended sequence numbers, loss, late and duplicate packets, and
//! interarrival jitter. Pure arithmetic on (sequence, timestamp, arrival).

const MAX_DROPOUT: u16 = 3000;
const MAX_MISORDER: u16 = 100;

/// Receiver statistics of one source.
#[derive(Debug, Clone, Default)]
pub struct ReceiverStats {
    started: bool,
    ssrc: u32,
    base_seq: u32,
    max_seq: u16,
    cycles: u32,
    bad_seq: Option<u16>,
    /// Bit i: `max_seq - i` has arrived (duplicate detection).
    seen: u64,
    /// Packets counted once each.
    pub received: u64,
    /// Packets that arrived after a later one (they fill a gap).
    pub late: u64,
    /// Packets that arrived twice.
    pub duplicates: u64,
    /// Restarts: a new SSRC or a jump beyond MAX_DROPOUT confirmed.
    pub restarts: u64,
    transit: Option<i64>,
    /// Interarrival jitter in timestamp units, RFC 3550 A.8.
    pub jitter: f64,
    expected_prior: u64,
    received_prior: u64,
    carried_expected: u64,
}

impl ReceiverStats {
    /// Starts a new sequence space; totals carry over.
    fn restart(&mut self, seq: u16, ssrc: u32) {
        if self.started {
            self.carried_expected += self.expected_before_restart();
            self.restarts += 1;
        }
        self.started = true;
        self.ssrc = ssrc;
        self.base_seq = u32::from(seq);
        self.max_seq = seq;
        self.cycles = 0;
        self.bad_seq = None;
        self.seen = 1;
        self.transit = None;
        self.received += 1;
    }

    /// Records one packet: `arrival` in the stream's clock units.
    /// Returns false for a duplicate (not counted as received).
    pub fn on_packet(&mut self, seq: u16, ssrc: u32, timestamp: u32, arrival: u32) -> bool {
        if !self.started || ssrc != self.ssrc {
            self.restart(seq, ssrc);
            self.update_jitter(timestamp, arrival);
            return true;
        }
        let udelta = seq.wrapping_sub(self.max_seq);
        if udelta == 0 {
            self.duplicates += 1;
            return false;
        }
        if udelta < MAX_DROPOUT {
            if seq < self.max_seq {
                self.cycles += 1;
            }
            self.seen = if udelta >= 64 { 0 } else { self.seen << udelta };
            self.seen |= 1;
            self.max_seq = seq;
            self.bad_seq = None;
        } else if udelta <= u16::MAX - MAX_MISORDER {
            // A big jump: believe it only when the next packet follows it.
            if self.bad_seq == Some(seq) {
                self.restart(seq, ssrc);
                self.update_jitter(timestamp, arrival);
                return true;
            }
            self.bad_seq = Some(seq.wrapping_add(1));
            return false;
        } else {
            let back = self.max_seq.wrapping_sub(seq);
            if back < 64 {
                if self.seen & (1 << back) != 0 {
                    self.duplicates += 1;
                    return false;
                }
                self.seen |= 1 << back;
            }
            self.late += 1;
        }
        self.received += 1;
        self.update_jitter(timestamp, arrival);
        true
    }

    fn update_jitter(&mut self, timestamp: u32, arrival: u32) {
        let transit = i64::from(arrival.wrapping_sub(timestamp) as i32);
        if let Some(prev) = self.transit {
            let d = (transit - prev).unsigned_abs() as f64;
            self.jitter += (d - self.jitter) / 16.0;
        }
        self.transit = Some(transit);
    }

    fn extended_max(&self) -> u64 {
        (u64::from(self.cycles) << 16) + u64::from(self.max_seq)
    }

    fn expected_before_restart(&self) -> u64 {
        if self.started { self.extended_max() + 1 - u64::from(self.base_seq) } else { 0 }
    }

    /// Packets expected from the sequence numbers seen (RFC 3550 A.3).
    pub fn expected(&self) -> u64 {
        self.expected_before_restart() + self.carried_expected
    }

    /// Packets lost: expected less received, never below zero.
    pub fn lost(&self) -> u64 {
        self.expected().saturating_sub(self.received)
    }

    /// The fraction lost since the last call, in 1/256 (an RR field).
    pub fn fraction_lost_since_last(&mut self) -> u8 {
        let (expected, received) = (self.expected(), self.received);
        let exp_int = expected.saturating_sub(self.expected_prior);
        let rec_int = received.saturating_sub(self.received_prior);
        self.expected_prior = expected;
        self.received_prior = received;
        let lost = exp_int.saturating_sub(rec_int);
        (lost << 8).checked_div(exp_int).map_or(0, |f| f.min(255) as u8)
    }

    /// The SSRC being received.
    pub fn ssrc(&self) -> u32 {
        self.ssrc
    }

    /// Highest sequence number with its cycle count (an RR field).
    pub fn extended_highest(&self) -> u32 {
        self.extended_max() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
