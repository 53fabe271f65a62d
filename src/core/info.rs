//! INFO the application sends in a call (RFC 6086), and the outcome of
//! each non-INVITE request we send in a dialog: BYE, INFO or REFER.

use std::time::Instant;

use super::uac::InDialog;
use super::{CommandError, Outbox, ShardCore};
use crate::dialog::{CallHandle, CallState};

/// The largest INFO body: the request must fit one UDP datagram.
pub const MAX_INFO_BODY: usize = 8 * 1024;

impl ShardCore {
    /// Sends INFO with `body` in an established call. One at a time: a
    /// second waits for the first's final response (RFC 6086 §4.2.1).
    pub fn send_info(
        &mut self,
        now: Instant,
        h: CallHandle,
        content_type: &str,
        body: &[u8],
        out: &mut Outbox,
    ) -> Result<(), CommandError> {
        if !is_media_type(content_type) {
            return Err(CommandError::BadArgument("content type must be type/subtype"));
        }
        if body.len() > MAX_INFO_BODY {
            return Err(CommandError::BadArgument("INFO body over 8 KiB"));
        }
        let c = self.calls.live(h).ok_or(CommandError::UnknownCall)?;
        if c.state != CallState::Confirmed {
            return Err(CommandError::InvalidState(c.state));
        }
        if c.info_txn.is_some() {
            return Err(CommandError::Pending);
        }
        let before = out.datagrams.len();
        self.send_in_dialog(now, h.slot as usize, InDialog::Info { content_type, body }, out);
        self.count_out(out, before);
        Ok(())
    }

    /// The final response (0: Timer F) to the non-INVITE request in
    /// client transaction `txn` that `call` sent.
    pub(crate) fn on_nict_final(
        &mut self,
        now: Instant,
        call: usize,
        txn: usize,
        code: u16,
        out: &mut Outbox,
    ) {
        let Some(c) = self.calls.get_mut(call) else { return };
        let txn = Some(txn as u32);
        if c.refer_txn == txn {
            c.refer_txn = None;
            return self.on_refer_final(now, call, code, out);
        }
        if c.info_txn == txn {
            c.info_txn = None;
            if !(200..300).contains(&code) {
                self.on_request_failed(now, call, "INFO", code, out);
            }
            return;
        }
        if code == 0 {
            self.call_error(call, super::CallErrorKind::Timeout, "no response to BYE".into(), out);
        }
        self.on_bye_final(now, call, code, out);
    }
}

/// `type/subtype` with optional parameters, tokens only (no header
/// injection through the application's string).
fn is_media_type(s: &str) -> bool {
    let head = s.split(';').next().unwrap_or("").trim();
    let token =
        |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b));
    let clean = s.bytes().all(|b| (b' '..=b'~').contains(&b));
    matches!(head.split_once('/'), Some((a, b)) if token(a) && token(b)) && clean
}

#[cfg(test)]
mod tests {
    #[test]
    fn media_types() {
        assert!(super::is_media_type("application/dtmf-relay"));
        assert!(super::is_media_type("text/plain;charset=utf-8"));
        for bad in ["", "text", "/plain", "text/", "text/plain\r\nX: y", "te xt/plain"] {
            assert!(!super::is_media_type(bad), "{bad:?}");
        }
    }
}
