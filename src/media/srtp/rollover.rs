//! The rollover counter and the packet index estimate (RFC 3711 §3.3.1):
//! a 16-bit sequence number is placed in the 48-bit index space next to
//! the highest index seen so far, so a stream crosses sequence wrap and a
//! late packet from before the wrap keeps its old ROC.

/// ROC and the highest sequence number (s_l) of one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rollover {
    roc: u32,
    s_l: u16,
}

impl Rollover {
    /// A source whose first packet carries `seq` (ROC 0: SDES signals none).
    pub(crate) fn start(seq: u16) -> Rollover {
        Rollover { roc: 0, s_l: seq }
    }

    /// The highest index so far.
    pub(crate) fn highest(self) -> u64 {
        (u64::from(self.roc) << 16) | u64::from(self.s_l)
    }

    /// The index of a packet with sequence number `seq`: ROC - 1, ROC or
    /// ROC + 1, whichever lands closest to s_l. None when that would be
    /// before the stream's start or past the 48-bit space.
    pub(crate) fn estimate(self, seq: u16) -> Option<u64> {
        let (seq_i, s_l) = (i64::from(seq), i64::from(self.s_l));
        let roc = i64::from(self.roc);
        let v = if self.s_l < 0x8000 {
            if seq_i - s_l > 0x8000 { roc - 1 } else { roc }
        } else if s_l - 0x8000 > seq_i {
            roc + 1
        } else {
            roc
        };
        let v = u32::try_from(v).ok()?;
        Some((u64::from(v) << 16) | u64::from(seq))
    }

    /// Moves s_l (and the ROC) forward when `index` is the newest yet.
    pub(crate) fn advance(&mut self, index: u64) {
        if index > self.highest() {
            self.roc = (index >> 16) as u32;
            self.s_l = index as u16;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_across_the_wrap() {
        let mut r = Rollover::start(65_534);
        for (seq, want) in [(65_535u16, 65_535u64), (0, 65_536), (1, 65_537), (2, 65_538)] {
            let i = r.estimate(seq).unwrap();
            assert_eq!(i, want);
            r.advance(i);
        }
        assert_eq!(r.highest(), 65_538);
    }

    #[test]
    fn late_packets_keep_their_roc() {
        let mut r = Rollover::start(65_000);
        r.advance(r.estimate(10).unwrap());
        assert_eq!(r.highest(), 65_536 + 10);
        // A packet from before the wrap arrives late: ROC - 1.
        assert_eq!(r.estimate(65_530), Some(65_530));
        // Nearly half the space ahead is still this ROC.
        assert_eq!(r.estimate(10 + 0x7fff), Some(65_536 + 10 + 0x7fff));
        let mut r = Rollover::start(40_000);
        // s_l high: a small sequence number is the next cycle.
        assert_eq!(r.estimate(100), Some(65_536 + 100));
        r.advance(65_536 + 100);
        assert_eq!(r.estimate(39_000), Some(39_000));
    }

    #[test]
    fn before_the_start_is_not_an_index() {
        let r = Rollover::start(5);
        assert_eq!(r.estimate(65_530), None);
        assert_eq!(r.estimate(3), Some(3));
    }
}
