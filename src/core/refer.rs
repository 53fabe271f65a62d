//! Blind transfer (RFC 3515 REFER, RFC 5589 §6.1): we ask the peer to
//! call a target; its NOTIFYs (`Event: refer`, message/sipfrag bodies)
//! report how that goes; when the target answers we end our call.

use std::time::Instant;

use super::uac::InDialog;
use super::{CallErrorKind, CommandError, EventKind, Outbox, ShardCore, TransferStatus};
use crate::dialog::{CallHandle, CallState};
use crate::sip::{HeaderName, Message, Method, TokenParams, Uri};

impl ShardCore {
    /// Sends REFER to the peer of an established call, asking it to call
    /// `target` (a sip:, sips: or tel: URI). One transfer at a time.
    pub fn transfer(
        &mut self,
        now: Instant,
        h: CallHandle,
        target: &str,
        out: &mut Outbox,
    ) -> Result<(), CommandError> {
        let clean = target.bytes().all(|b| (b'!'..=b'~').contains(&b) && b != b'<' && b != b'>');
        if !clean || Uri::parse(target).is_err() {
            return Err(CommandError::BadArgument("transfer target must be a sip:, sips: or tel: URI"));
        }
        let c = self.calls.live_mut(h).ok_or(CommandError::UnknownCall)?;
        if c.state != CallState::Confirmed {
            return Err(CommandError::InvalidState(c.state));
        }
        if c.transferring {
            return Err(CommandError::Pending);
        }
        c.transferring = true;
        let before = out.datagrams.len();
        self.send_in_dialog(now, h.slot as usize, InDialog::Refer { target }, out);
        self.count_out(out, before);
        Ok(())
    }

    /// The final response to our REFER (0: no answer).
    pub(crate) fn on_refer_final(&mut self, now: Instant, call: usize, code: u16, out: &mut Outbox) {
        if (200..300).contains(&code) {
            return self.emit(call, EventKind::Transfer(TransferStatus::Accepted), out);
        }
        if let Some(c) = self.calls.get_mut(call) {
            c.transferring = false;
        }
        self.emit(call, EventKind::Transfer(TransferStatus::Refused(code)), out);
        if matches!(code, 0 | 408 | 481) {
            self.on_request_failed(now, call, "REFER", code, out);
        }
    }

    /// A NOTIFY about our transfer: the status it reports becomes an
    /// event. Gives the response code and whether the transfer is done
    /// and our call should end; None when the NOTIFY is not about it.
    pub(crate) fn transfer_notify(
        &mut self,
        call: usize,
        msg: &Message,
        out: &mut Outbox,
    ) -> Option<(u16, bool)> {
        let c = self.calls.get(call)?;
        let refer = msg.event().is_some_and(|e| e.value.eq_ignore_ascii_case("refer"));
        if msg.method() != Method::Notify || !c.transferring || !refer {
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
                let detail = "NOTIFY for our REFER without a sipfrag status line".into();
                self.call_error(call, CallErrorKind::Protocol, detail, out);
                return Some((400, false));
            }
        };
        let done = !matches!(status, TransferStatus::Trying(_));
        if let Some(c) = self.calls.get_mut(call) {
            c.transferring = !done;
        }
        self.emit(call, EventKind::Transfer(status), out);
        Some((200, matches!(status, TransferStatus::Succeeded(_))))
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
