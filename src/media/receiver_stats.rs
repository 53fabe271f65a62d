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
