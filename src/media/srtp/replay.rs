//! The replay list (RFC 3711 §3.3.2) as a sliding window of 128 indices
//! below the highest accepted: a packet is new if it is above the window's
//! top, or inside the window and not yet seen.

use super::error::SrtpError;

/// Window size in packets.
pub const REPLAY_WINDOW: u64 = 128;

/// One source's replay window (SRTP or SRTCP indices).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ReplayWindow {
    /// Highest accepted index; None before the first packet.
    top: Option<u64>,
    /// Bit i: index `top - i` was accepted.
    seen: u128,
}

impl ReplayWindow {
    /// Ok when `index` has not been accepted and is not too old.
    pub(crate) fn check(&self, index: u64) -> Result<(), SrtpError> {
        let Some(top) = self.top else { return Ok(()) };
        if index > top {
            return Ok(());
        }
        let back = top - index;
        if back >= REPLAY_WINDOW || self.seen >> back & 1 == 1 {
            return Err(SrtpError::Replay);
        }
        Ok(())
    }

    /// Marks `index` seen (after it authenticated).
    pub(crate) fn accept(&mut self, index: u64) {
        match self.top {
            Some(top) if index <= top => self.seen |= 1 << (top - index),
            Some(top) => {
                let ahead = index - top;
                self.seen = if ahead >= REPLAY_WINDOW { 0 } else { self.seen << ahead };
                self.seen |= 1;
                self.top = Some(index);
            }
            None => {
                self.seen = 1;
                self.top = Some(index);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_and_old_packets_are_replays() {
        let mut w = ReplayWindow::default();
        assert!(w.check(1_000).is_ok());
        w.accept(1_000);
        assert_eq!(w.check(1_000), Err(SrtpError::Replay));
        assert!(w.check(999).is_ok(), "late but new");
        w.accept(999);
        assert_eq!(w.check(999), Err(SrtpError::Replay));
        assert!(w.check(1_000 - 127).is_ok(), "the window's last slot");
        assert_eq!(w.check(1_000 - 128), Err(SrtpError::Replay), "older than the window");
        w.accept(1_200);
        assert_eq!(w.check(1_000), Err(SrtpError::Replay), "slid out of the window");
        assert!(w.check(1_100).is_ok());
        w.accept(1_100);
        assert_eq!(w.check(1_100), Err(SrtpError::Replay));
        w.accept(1_200 + 1_000);
        assert!(w.check(1_200 + 999).is_ok(), "a long jump clears the window");
    }
}
