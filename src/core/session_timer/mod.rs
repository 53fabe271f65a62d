//! Session timers (RFC 4028): the interval a call must be refreshed in,
//! who refreshes it, and the headers that say so. `negotiate` reads an
//! INVITE or UPDATE against our configuration (422 when the interval is
//! below our Min-SE); the call arms the refresh (at half the interval,
//! when we refresh: UPDATE, or re-INVITE to a peer whose Allow lacks it) and the expiry (when the peer does: BYE, ended as
//! `EndReason::SessionExpired`, shortly before the interval passes).

mod negotiate;

use std::time::Duration;

pub(crate) use negotiate::{Negotiated, negotiate};

/// Session timers as a UAS: honour Session-Expires and Min-SE on INVITE
/// and UPDATE, refresh or watch the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimerConfig {
    /// The interval we ask for when the caller names none, and the most
    /// we accept (a longer one is lowered, never below its Min-SE).
    pub session_expires: Duration,
    /// The shortest interval we accept (a shorter one gets 422 with this
    /// as Min-SE). RFC 4028 §4: at least 90 s on the wire; shorter values
    /// serve tests.
    pub min_se: Duration,
    /// When the caller leaves the choice to us (supports timers, names no
    /// refresher): we refresh (true) or it does (false). We refresh with
    /// UPDATE without a body (RFC 4028 §7.4: no offer/answer needed), or
    /// with a re-INVITE of our unchanged SDP when the peer's Allow lacks
    /// UPDATE.
    pub we_refresh: bool,
}

impl Default for SessionTimerConfig {
    fn default() -> Self {
        SessionTimerConfig {
            session_expires: Duration::from_secs(1800),
            min_se: Duration::from_secs(90),
            we_refresh: false,
        }
    }
}

impl SessionTimerConfig {
    /// Why the settings cannot work, if they cannot.
    pub fn check(&self) -> Result<(), String> {
        if self.min_se < Duration::from_secs(2) || self.session_expires < self.min_se {
            return Err("min_se must be at least 2 s and session_expires at least min_se".into());
        }
        if self.session_expires > Duration::from_secs(u64::from(u32::MAX)) {
            return Err("session_expires is too long".into());
        }
        Ok(())
    }
}

/// What a 2xx (or a refresh's 2xx) says about the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SessionHeader {
    /// Session-Expires, seconds.
    pub seconds: u32,
    /// `refresher=uac` or `uas`, in the terms of the request answered.
    pub refresher: &'static str,
    /// `Require: timer` (the peer supports timers, RFC 4028 §9).
    pub require: bool,
}

/// How long before the interval passes the side that does not refresh
/// sends BYE (RFC 4028 §10: the smaller of 32 s and a third of it).
pub(crate) fn expiry_after(interval: u32) -> Duration {
    let i = u64::from(interval);
    Duration::from_secs(i - (i / 3).min(32))
}
