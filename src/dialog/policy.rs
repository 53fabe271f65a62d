//! What to do with a new INVITE (`Decision`), and the configured default
//! policy: ring for X ms, answer after Y ms, hang up after Z ms, reject P%
//! with code C. Embedding applications decide per call instead.

use std::time::Duration;

use crate::media::MediaMode;

/// How to accept a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accept {
    /// Send 180 Ringing after this delay (None: no 180).
    pub ring: Option<Duration>,
    /// Send 200 OK this long after the INVITE.
    pub answer_after: Duration,
    /// Send BYE this long after the answer (None: the caller hangs up).
    pub hang_up_after: Option<Duration>,
    /// What the call's media does (None: the engine's configured mode).
    pub media: Option<MediaMode>,
}

impl Accept {
    /// Answer at once, with the configured media mode.
    pub fn now() -> Accept {
        Accept::default()
    }

    /// With this media mode for the call.
    pub fn media(mut self, mode: MediaMode) -> Accept {
        self.media = Some(mode);
        self
    }

    /// Hang up (BYE) this long after the answer.
    pub fn hang_up_after(mut self, after: Duration) -> Accept {
        self.hang_up_after = Some(after);
        self
    }
}

/// What to do with a new INVITE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Ring and/or answer as described.
    Accept(Accept),
    /// Reject with a final status (300–699) and an optional reason phrase
    /// (None: the standard phrase of the code).
    Reject {
        /// Final status.
        code: u16,
        /// Reason phrase.
        reason: Option<String>,
    },
    /// Redirect (3xx) to `contact`, a SIP URI.
    Redirect {
        /// 300–399 (302 Moved Temporarily is usual).
        code: u16,
        /// Where the caller should try instead.
        contact: String,
    },
    /// Send 100 Trying now; the application answers later through its
    /// call control (or the engine rejects with 480 at the defer timeout).
    Defer,
}

impl Decision {
    /// Answer at once (200 OK).
    pub fn accept() -> Decision {
        Decision::Accept(Accept::now())
    }

    /// Ring (180) at once and answer after `delay`.
    pub fn ring_then_accept(delay: Duration) -> Decision {
        Decision::Accept(Accept { ring: Some(Duration::ZERO), answer_after: delay, ..Accept::default() })
    }

    /// Reject with `code` and its standard reason phrase.
    pub fn reject(code: u16) -> Decision {
        Decision::Reject { code, reason: None }
    }

    /// Redirect with 302 to `contact`.
    pub fn redirect(contact: impl Into<String>) -> Decision {
        Decision::Redirect { code: 302, contact: contact.into() }
    }
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
            return Decision::reject(self.reject_code);
        }
        let nonzero = |d: Duration| (!d.is_zero()).then_some(d);
        Decision::Accept(Accept {
            ring: nonzero(self.ring),
            answer_after: self.answer,
            hang_up_after: nonzero(self.hangup),
            media: None,
        })
    }
}
