//! The default answering policy: ring for X ms, answer after Y ms, hang up
//! after Z ms, reject P% with code C. The embedded API lets applications
//! decide per call instead.

use std::time::Duration;

/// What to do with a new INVITE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Ring (180) after `ring`, if set; answer (200) after `answer`;
    /// hang up after `hangup`, if set.
    Accept {
        /// Delay before 180 (None: no 180).
        ring: Option<Duration>,
        /// Delay before 200.
        answer: Duration,
        /// Call duration before we send BYE (None: the caller hangs up).
        hangup: Option<Duration>,
    },
    /// Reject with a final status.
    Reject(u16),
}

/// Configured defaults for every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallPolicy {
    /// Delay before 180 Ringing; zero means no 180.
    pub ring: Duration,
    /// Delay before 200 OK (counted from the INVITE).
    pub answer: Duration,
    /// Call duration before we hang up; zero means the caller hangs up.
    pub hangup: Duration,
    /// Percentage of calls rejected.
    pub reject_percent: u8,
    /// Status used for rejections.
    pub reject_code: u16,
}

impl Default for CallPolicy {
    fn default() -> Self {
        CallPolicy {
            ring: Duration::ZERO,
            answer: Duration::ZERO,
            hangup: Duration::ZERO,
            reject_percent: 0,
            reject_code: 486,
        }
    }
}

impl CallPolicy {
    /// Decides the next call. `credit` spreads rejections exactly: it
    /// accumulates the percentage and rejects each time it passes 100.
    pub fn decide(&self, credit: &mut u32) -> Decision {
        *credit += u32::from(self.reject_percent.min(100));
        if *credit >= 100 {
            *credit -= 100;
            return Decision::Reject(self.reject_code);
        }
        let nonzero = |d: Duration| (!d.is_zero()).then_some(d);
        Decision::Accept { ring: nonzero(self.ring), answer: self.answer, hangup: nonzero(self.hangup) }
    }
}
