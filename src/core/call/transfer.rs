//! Blind transfer (RFC 3515 REFER, RFC 5589 §6.1), the transferor's
//! side: the peer took or refused our REFER; its NOTIFYs (`Event: refer`,
//! message/sipfrag bodies) report how its call to the target goes; when
//! the target answers we end our call.

use super::Call;
use super::step::{CallEvent, Step};
use crate::core::{CallErrorKind, TransferStatus};
use crate::dialog::EndReason;
use crate::sip::{HeaderName, Message, Method, TokenParams};

impl Call {
    /// The final response to our REFER (0: no answer).
    pub(super) fn on_refer_final(&mut self, code: u16, step: &mut Step) {
        if (200..300).contains(&code) {
            return step.event(CallEvent::Transfer(TransferStatus::Accepted));
        }
        self.transferring = false;
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
        if msg.method() != Method::Notify || !self.transferring || !refer {
            return None;
        }
        let state = msg.header(HeaderName::SubscriptionState).map(|v| TokenParams::parse(v).value);
        let ended = state.is_some_and(|s| s.eq_ignore_ascii_case("terminated"));
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
        self.transferring = matches!(status, TransferStatus::Trying(_));
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
