//! Reading a request's Session-Expires and Min-SE against our settings
//! (RFC 4028 §9): the interval, who refreshes, what the 2xx says, or the
//! Min-SE of a 422.

use super::{SessionHeader, SessionTimerConfig};
use crate::sip::{HeaderName, Message};

/// The outcome for a request that may set the session's interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Negotiated {
    /// Seconds.
    pub interval: u32,
    /// We refresh (else the peer does and we watch).
    pub we_refresh: bool,
    /// Our refresh is an UPDATE (the peer's Allow lists it, or it sent
    /// none); else a re-INVITE.
    pub by_update: bool,
    /// The headers of our 2xx.
    pub header: SessionHeader,
}

/// Negotiates the session for `msg`, which we answer as UAS; `Err(min)`
/// is a 422 with `Min-SE: min`.
pub(crate) fn negotiate(cfg: &SessionTimerConfig, msg: &Message) -> Result<Negotiated, u32> {
    let ours = cfg.session_expires.as_secs().min(u64::from(u32::MAX)) as u32;
    let min_se = cfg.min_se.as_secs() as u32;
    let supports = msg.supported().chain(msg.require()).any(|t| t.eq_ignore_ascii_case("timer"));
    let their_min = msg
        .header(HeaderName::MinSe)
        .and_then(|v| crate::sip::lex::parse_u32(v.split(';').next().unwrap_or("").trim().as_bytes()))
        .unwrap_or(0);
    let asked = msg.session_expires();
    let interval = match asked {
        Some(se) if se.seconds < min_se => return Err(min_se),
        // We may lower it, never below either side's Min-SE.
        Some(se) => se.seconds.min(ours.max(their_min).max(min_se)),
        None => ours.max(their_min),
    };
    // RFC 4028 §9: a caller without timer support cannot refresh.
    let we_refresh = match asked.and_then(|se| se.refresher) {
        _ if !supports => true,
        Some(r) if r.eq_ignore_ascii_case("uas") => true,
        Some(r) if r.eq_ignore_ascii_case("uac") => false,
        _ => cfg.we_refresh,
    };
    let refresher = if we_refresh { "uas" } else { "uac" };
    let allows = msg.header(HeaderName::Allow).is_some();
    let by_update = !allows || msg.allow().any(|m| m.eq_ignore_ascii_case("UPDATE"));
    Ok(Negotiated {
        interval,
        we_refresh,
        by_update,
        header: SessionHeader { seconds: interval, refresher, require: supports },
    })
}
