//! How to accept a call: when the 180 and the 200 go out, when we hang
//! up, what the media does.

use std::time::Duration;

use crate::media::MediaMode;

/// How to accept a call: ring, answer, hang up.
///
/// The 180 goes out at once when `ring` is set (a 183 with our SDP
/// answer instead with `early_media`); the 200 follows after `ring` plus
/// `answer_after`. When the caller supports 100rel (RFC 3262) the 180/183
/// goes reliably and the 200 waits for its PRACK. Without `ring`, a 100 Trying goes out at
/// once (when `answer_after` is not zero) and the 200 after `answer_after`.
///
/// ```
/// use std::time::Duration;
/// use sipbench::{Accept, Decision, MediaMode};
///
/// // 180 now, 200 after 2 s, BYE 30 s after the answer, tone to the caller.
/// let accept = Accept::now()
///     .ring_for(Duration::from_secs(2))
///     .media(MediaMode::Play)
///     .hang_up_after(Duration::from_secs(30));
/// let decision = Decision::from(accept);
/// # let _ = decision;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accept {
    /// Ring for this long: 180 Ringing goes out at once and the 200 OK
    /// this long after it (plus `answer_after`). None: no 180.
    pub ring: Option<Duration>,
    /// More delay before the 200 OK, after the ring time (without
    /// `ring`, counted from the INVITE).
    pub answer_after: Duration,
    /// Send BYE this long after the call is up (None: the caller hangs
    /// up, or the application does).
    pub hang_up_after: Option<Duration>,
    /// What the call's media does (None: the engine's configured mode).
    pub media: Option<MediaMode>,
    /// Early media: instead of 180, a 183 Session Progress with our SDP
    /// answer goes out at once and the stream starts before the answer
    /// (reliably, RFC 3262, when the caller supports 100rel; without an
    /// offer in the INVITE, a plain 180 as `ring` says).
    pub early_media: bool,
}

impl Accept {
    /// Answer at once, with the configured media mode.
    pub fn now() -> Accept {
        Accept::default()
    }

    /// 180 at once, then ring this long before the 200.
    pub fn ring_for(mut self, ring: Duration) -> Accept {
        self.ring = Some(ring);
        self
    }

    /// This much more delay before the 200 (after any ring time).
    pub fn answer_after(mut self, delay: Duration) -> Accept {
        self.answer_after = delay;
        self
    }

    /// With this media mode for the call.
    pub fn media(mut self, mode: MediaMode) -> Accept {
        self.media = Some(mode);
        self
    }

    /// Early media: 183 with our SDP answer at once, the stream running
    /// before the 200 (which follows after `ring` plus `answer_after`).
    pub fn early_media(mut self) -> Accept {
        self.early_media = true;
        self
    }

    /// Hang up (BYE) this long after the call is up.
    pub fn hang_up_after(mut self, after: Duration) -> Accept {
        self.hang_up_after = Some(after);
        self
    }
}
