//! Blind transfer (RFC 3515 REFER, RFC 5589 §6.1), the transferor's
//! side: the peer took or refused our REFER; its NOTIFYs (`Event: refer`,
//! message/sipfrag bodies) report how its call to the target goes; when
//! the target answers we end our call. The implicit subscription expires
//! (RFC 6665 §4.1.2.4): no NOTIFY within 64·T1 of the 202, or none
//! before the expiry the last one gave, ends the transfer as `Expired`.

use std::time::Duration;

use super::step::{CallEvent, Step};
use super::{Call, CallTimer};
use crate::core::{CallErrorKind, TransferStatus};
use crate::dialog::EndReason;
use crate::sip::{HeaderName, Message, Method, TokenParams};

/// The longest subscription expiry a NOTIFY may set.
const MAX_EXPIRES: u32 = 3600;

/// Where our REFER stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum OurRefer {
    /// None in progress.
    #[default]
    No,
    /// Sent, neither answered nor notified yet.
    Sent,
    /// Taken (a 202, or a NOTIFY that came first): NOTIFYs follow.
    Accepted,
}

impl Call {
    /// Our REFER goes out (one at a time).
    pub(super) fn refer_sent(&mut self) {
        self.transfer = OurRefer::Sent;
    }

    /// The transfer is known taken: said once, whichever of the 202 and
    /// the first NOTIFY comes first (RFC 3515 §2.4.4 lets either).
    fn refer_accepted(&mut self, step: &mut Step) {
        if self.transfer == OurRefer::Sent {
            self.transfer = OurRefer::Accepted;
            step.event(CallEvent::Transfer(TransferStatus::Accepted));
        }
    }

    /// The subscription ends when no NOTIFY comes within `after`.
    fn expect_notify(&mut self, after: Duration, step: &mut Step) {
        step.arm(CallTimer::ReferExpiry, after);
    }

    /// No NOTIFY came in time: the transfer is over, the call goes on.
    pub(super) fn refer_expired(&mut self, step: &mut Step) {
        if self.transfer == OurRefer::No {
            return;
        }
        self.transfer = OurRefer::No;
        step.event(CallEvent::Transfer(TransferStatus::Expired));
    }

    /// The final response to our REFER (0: no answer).
    pub(super) fn on_refer_final(&mut self, code: u16, step: &mut Step) {
        if (200..300).contains(&code) {
            if self.transfer == OurRefer::Sent {
                self.refer_accepted(step);
                self.expect_notify(step.timers.t1x64(), step);
            }
            return;
        }
        if self.transfer == OurRefer::No {
            return;
        }
        self.transfer = OurRefer::No;
        step.disarm([self.timers.take(CallTimer::ReferExpiry), None, None]);
        step.event(CallEvent::Transfer(TransferStatus::Refused(code)));
        if matches!(code, 0 | 408 | 481) {
            self.request_failed("REFER", code, step);
        }
    }

    /// A NOTIFY about our transfer: the status it reports becomes an
    /// event, and a success ends our call (after the shard answers the
    /// NOTIFY with the code given). None when the NOTIFY is not about it.
    pub(crate) fn on_transfer_notify(&mut self, msg: &Message, step: &mut Step) -> Option<u16> {
        let refer = msg.event().is_some_and(|e| e.value.eq_ignore_ascii_case("refer"));
        if msg.method() != Method::Notify || self.transfer == OurRefer::No || !refer {
            return None;
        }
        let state = msg.header(HeaderName::SubscriptionState).map(TokenParams::parse);
        let ended = state.as_ref().is_some_and(|s| s.value.eq_ignore_ascii_case("terminated"));
        let expires = state.as_ref().and_then(|s| s.param("expires")).and_then(|e| e.parse::<u32>().ok());
        let status = match (sipfrag_status(msg.body()), ended) {
            (Some(code @ 200..=299), _) => TransferStatus::Succeeded(code),
            (Some(code @ 300..=699), _) => TransferStatus::Failed(code),
            (Some(code), false) => TransferStatus::Trying(code),
            (_, true) => TransferStatus::Failed(0),
            (None, false) => {
                let detail = || "NOTIFY for our REFER without a sipfrag status line".into();
                step.error(CallErrorKind::Protocol, detail);
                return Some(400);
            }
        };
        self.refer_accepted(step);
        if let TransferStatus::Trying(_) = status {
            let after =
                expires.map_or(step.timers.t1x64(), |s| Duration::from_secs(s.min(MAX_EXPIRES).into()));
            self.expect_notify(after, step);
        } else {
            self.transfer = OurRefer::No;
            step.disarm([self.timers.take(CallTimer::ReferExpiry), None, None]);
        }
        step.event(CallEvent::Transfer(status));
        if matches!(status, TransferStatus::Succeeded(_)) {
            self.hang_up(EndReason::Transferred, step);
        }
        Some(200)
    }
}

/// The status code of a message/sipfrag body's status line
/// (`SIP/2.0 200 OK`).
fn sipfrag_status(body: &[u8]) -> Option<u16> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    let rest = body[start..].strip_prefix(b"SIP/2.0 ")?;
    let digits = rest.get(..3)?;
    let code = std::str::from_utf8(digits).ok()?.parse::<u16>().ok()?;
    (100..700).contains(&code).then_some(code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sipfrag_status_lines() {
        assert_eq!(super::sipfrag_status(b"SIP/2.0 100 Trying\r\n"), Some(100));
        assert_eq!(super::sipfrag_status(b"\r\nSIP/2.0 486 Busy Here"), Some(486));
        for bad in [&b""[..], b"SIP/2.0 99 x", b"SIP/2.0 abc", b"HTTP/1.1 200 OK", b"SIP/2.0 20"] {
            assert_eq!(super::sipfrag_status(bad), None, "{bad:?}");
        }
    }
}
