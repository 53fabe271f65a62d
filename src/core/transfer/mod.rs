//! Being transferred (RFC 3515, RFC 5589 as transferee): a REFER we took
//! makes an implicit subscription in its call; the call placed on it
//! (`OutgoingCall::referred`) reports its progress there as NOTIFYs with
//! message/sipfrag bodies — `100 Trying` at once, then its final status —
//! and the subscription ends with that final status or when it expires.
//! `notify` writes those NOTIFYs; `progress` carries a referred call's
//! outcome to the call that was REFERred.

mod notify;
mod progress;

use std::time::{Duration, Instant};

pub(crate) use notify::write_notify;
pub(crate) use progress::unanswered_status;

/// How long the implicit subscription of a REFER we took lasts: the
/// call placed on it has this long to report its final status.
pub(crate) const SUBSCRIPTION: Duration = Duration::from_secs(120);

/// A NOTIFY about a REFER we took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReferNotify {
    /// The REFER's CSeq number: the `id` of `Event: refer`.
    pub id: u32,
    /// The status line of the sipfrag body.
    pub status: u16,
    /// `active;expires=N`, or `terminated;reason=R`.
    pub state: SubscriptionState,
}

/// The Subscription-State a NOTIFY carries (RFC 6665 §8.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubscriptionState {
    /// Going on, for this many more seconds.
    Active(u32),
    /// Over: `noresource` once the final status is told, `timeout` when
    /// it expired first.
    Terminated(&'static str),
}

/// The implicit subscription of a REFER we took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Referred {
    /// The REFER's CSeq number.
    pub id: u32,
    /// When it expires.
    pub ends: Instant,
}

impl Referred {
    /// The NOTIFY telling `status`: the final one for a final status.
    pub(crate) fn notify(&self, status: u16, now: Instant) -> ReferNotify {
        let state = if status >= 200 {
            SubscriptionState::Terminated("noresource")
        } else {
            let left = self.ends.saturating_duration_since(now).as_secs().max(1);
            SubscriptionState::Active(u32::try_from(left).unwrap_or(u32::MAX))
        };
        ReferNotify { id: self.id, status, state }
    }

    /// The NOTIFY ending the subscription that expired.
    pub(crate) fn expired(&self) -> ReferNotify {
        ReferNotify { id: self.id, status: 100, state: SubscriptionState::Terminated("timeout") }
    }
}
