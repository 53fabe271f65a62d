//! Responses to requests we sent (BYE, re-INVITE), and reason phrases.

use std::time::Instant;

use super::call_table::Reinvite;
use super::{EventKind, MediaCommand, Outbox, ShardCore};
use crate::dialog::EndReason;
use crate::sip::{Message, Method};
use crate::txn::{ClientOutcome, TxnCtx, TxnKey};

/// Default reason phrases (RFC 3261 §21).
pub(crate) fn reason_phrase(code: u16) -> &'static str {
    match code {
        180 => "Ringing",
        200 => "OK",
        202 => "Accepted",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Moved Temporarily",
        305 => "Use Proxy",
        380 => "Alternative Service",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        415 => "Unsupported Media Type",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        491 => "Request Pending",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        600 => "Busy Everywhere",
        603 => "Decline",
        _ => "Rejected",
    }
}

impl ShardCore {
    pub(crate) fn on_response(&mut self, now: Instant, msg: Message, out: &mut Outbox) {
        self.stats.responses_in += 1;
        let class = usize::from(msg.status_code().unwrap_or(0) / 100);
        if let Some(n) = self.stats.responses_in_by_class.get_mut(class) {
            *n += 1;
        }
        let Ok(key) = TxnKey::for_response(&msg) else {
            self.stats.stray_responses += 1;
            return;
        };
        let mut ctx =
            TxnCtx { now, wheel: &mut self.wheel, out: &mut out.datagrams, timers: &self.cfg.timers };
        if msg.method() == Method::Invite {
            let Some(slot) = self.ict.find(&key) else {
                self.stats.stray_responses += 1;
                return;
            };
            let Some(t) = self.ict.get_mut(slot) else { return };
            let outcome = t.on_response(&mut ctx, slot, &msg, &mut self.writer);
            let call = t.call;
            match (outcome, call) {
                (Some(o), Some(call)) if self.is_uac_invite(call, slot) => {
                    self.on_uac_invite_response(now, call, o, Some(&msg), out)
                }
                (Some(ClientOutcome::Final(code)), Some(call)) => {
                    self.on_reinvite_final(now, call, slot, code, &msg, out)
                }
                _ => {}
            }
            return;
        }
        let Some(slot) = self.nict.find(&key) else {
            self.stats.stray_responses += 1;
            return;
        };
        let Some(t) = self.nict.get_mut(slot) else { return };
        let code = msg.status_code().unwrap_or(0);
        let (outcome, call) = (t.on_response(&mut ctx, slot, code), t.call);
        if let (Some(ClientOutcome::Final(code)), Some(call)) = (outcome, call) {
            self.on_nict_final(now, call, slot, code, out);
        }
    }

    /// Our BYE was answered (or timed out, code 0): the call ends.
    pub(crate) fn on_bye_final(&mut self, now: Instant, call: usize, code: u16, out: &mut Outbox) {
        let Some(c) = self.calls.get(call) else { return };
        let reason = match c.ending {
            Some(r) if (200..300).contains(&code) || r != EndReason::LocalBye => r,
            // A refused or unanswered BYE still ends the call, as a failure.
            _ => EndReason::ByeFailed,
        };
        self.end_call(call, reason, now, out);
    }

    /// The final response to our re-INVITE: ACK a 2xx (every
    /// retransmission too, RFC 3261 §13.2.2.4) and apply the hold state.
    fn on_reinvite_final(
        &mut self,
        now: Instant,
        call: usize,
        slot: usize,
        code: u16,
        msg: &Message,
        out: &mut Outbox,
    ) {
        if !(200..300).contains(&code) {
            if let Some(c) = self.calls.get_mut(call) {
                c.reinvite = None;
            }
            return self.on_request_failed(now, call, "INVITE", code, out);
        }
        let seq = msg.cseq_number().unwrap_or(0);
        self.send_in_dialog(now, call, super::uac::InDialog::Ack(seq), out);
        let Some(c) = self.calls.get_mut(call) else { return };
        if let Some(Reinvite::Outgoing { slot: s, hold }) = c.reinvite
            && s == slot
        {
            c.reinvite = None;
            c.local_held = hold;
            let kind = if hold { EventKind::Held } else { EventKind::Resumed };
            let port = c.local_port.filter(|_| c.media_open);
            let handle = self.calls.handle(call);
            if let Some(local_port) = port {
                out.media.push(MediaCommand::Direction { call: handle, local_port, send: !hold });
            }
            self.emit(call, kind, out);
        }
    }
}
