//! Requests inside a dialog (RFC 3261 §12.2.2): matched by Call-ID and
//! tags, CSeq ordering enforced, then BYE, re-INVITE/UPDATE, INFO,
//! NOTIFY… (ACK has its own file, `ack.rs`).

use std::net::SocketAddr;
use std::time::Instant;

use super::call_table::Reinvite;
use super::respond::Extra;
use super::{CallErrorKind, EventKind, MediaCommand, Outbox, ShardCore};
use crate::dialog::{CallState, EndReason};
use crate::sip::{Message, Method};
use crate::txn::TxnKey;

impl ShardCore {
    /// The call whose dialog this request belongs to.
    pub(crate) fn dialog_of(&self, msg: &Message) -> Option<usize> {
        let slot = self.calls.find(msg.call_id())?;
        let c = self.calls.get(slot)?;
        let to_tag = msg.to_tag().ok()?.unwrap_or("");
        if c.dialog.local_tag() != to_tag {
            return None;
        }
        // A From written exactly as the INVITE's holds the same tag: the
        // usual case needs no second parse of it.
        if msg.header(crate::sip::HeaderName::From) == Some(c.dialog.remote_addr()) {
            return Some(slot);
        }
        let from_tag = msg.from_tag().ok()?.unwrap_or("");
        (c.dialog.remote_tag() == from_tag).then_some(slot)
    }

    pub(crate) fn on_in_dialog(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        out: &mut Outbox,
    ) {
        let Some(call) = self.dialog_of(msg) else {
            self.stats.unknown_dialog += 1;
            let reason = "Call/Transaction Does Not Exist";
            return self.reply_any(now, from, key, msg, 481, reason, Extra::default(), out);
        };
        let seq = msg.cseq_number().unwrap_or(0);
        let Some(c) = self.calls.get_mut(call) else { return };
        if seq <= c.dialog.remote_cseq {
            // §12.2.2: an out-of-order request gets 500.
            let detail = format!("{} with CSeq {seq} out of order", msg.method().as_str());
            self.call_error(call, CallErrorKind::Protocol, detail, out);
            return self.reply_any(
                now,
                from,
                key,
                msg,
                500,
                "Server Internal Error - CSeq Out Of Order",
                Extra::default(),
                out,
            );
        }
        c.dialog.remote_cseq = seq;
        let state = c.state;
        match msg.method() {
            Method::Bye => {
                self.reply_non_invite(now, key, msg, from, 200, "OK", None, Extra::default(), out);
                let mut reason = EndReason::RemoteBye;
                if let Some(c) = self.calls.get_mut(call)
                    && let Some(slot) = c.invite_txn.take()
                {
                    // BYE in an early dialog: the caller gave up before the
                    // answer, like a CANCEL; the INVITE ends with 487.
                    reason = EndReason::Cancelled;
                    let tag = super::Token::copy_of(c.dialog.local_tag());
                    let extra = Extra::default();
                    self.answer_invite(now, slot, 487, "Request Terminated", Some(&tag), extra, out);
                }
                self.end_call(call, reason, now, out);
            }
            Method::Invite | Method::Update => self.on_reinvite(now, from, key, msg, call, state, out),
            Method::Info | Method::Message | Method::Notify | Method::Options => {
                let (code, transferred) = self.transfer_notify(call, msg, out).unwrap_or_else(|| {
                    let id = super::CallId::new(self.cfg.shard, self.calls.handle(call));
                    let code =
                        self.handler.on_in_dialog_request(id, &super::IncomingRequest { msg, source: from });
                    (if (200..700).contains(&code) { code } else { 500 }, false)
                });
                let extra = Extra { allow: msg.method() == Method::Options, ..Extra::default() };
                let reason = super::response::reason_phrase(code);
                self.reply_non_invite(now, key, msg, from, code, reason, None, extra, out);
                if transferred {
                    self.hang_up(now, call, EndReason::Transferred, out);
                }
            }
            Method::Refer | Method::Prack | Method::Subscribe | Method::Publish | Method::Register => {
                let extra = Extra { allow: true, ..Extra::default() };
                self.reply_non_invite(now, key, msg, from, 405, "Method Not Allowed", None, extra, out);
            }
            _ => {
                let extra = Extra { allow: true, ..Extra::default() };
                self.reply_non_invite(now, key, msg, from, 501, "Not Implemented", None, extra, out);
            }
        }
    }

    /// re-INVITE or UPDATE: answer the offer; 491 on glare (§14.2).
    #[allow(clippy::too_many_arguments)]
    fn on_reinvite(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        call: usize,
        state: CallState,
        out: &mut Outbox,
    ) {
        let Some(c) = self.calls.get(call) else { return };
        let busy = c.reinvite.is_some() || state != CallState::Confirmed;
        if busy {
            let glare = matches!(c.reinvite, Some(Reinvite::Outgoing { .. }));
            let (code, reason) =
                if glare { (491, "Request Pending") } else { (500, "Server Internal Error") };
            let extra = Extra { retry_after: (code == 500).then_some(1), ..Extra::default() };
            return self.reply_any(now, from, key, msg, code, reason, extra, out);
        }
        let (port, version) = (c.local_port.unwrap_or(0), c.sdp_version + 1);
        let answer = match self.sdp.answer_offer(msg, port, version) {
            Ok(a) => a,
            Err((code, reason)) => {
                self.call_error(
                    call,
                    CallErrorKind::Protocol,
                    format!("offer refused {code}: {reason}"),
                    out,
                );
                return self.reply_any(now, from, key, msg, code, reason, Extra::default(), out);
            }
        };
        let was_held = c.remote_held;
        if let Some(c) = self.calls.get_mut(call) {
            c.sdp_version = version;
            c.remote_held = answer.held;
        }
        let extra = Extra { dialog: true, sdp: Some(&answer.body), ..Extra::default() };
        if msg.method() == Method::Invite {
            if let Some(c) = self.calls.get_mut(call) {
                c.response_to = Self::reply_address(msg, from);
            }
            let seq = msg.cseq_number().unwrap_or(0);
            let slot = self.new_ist(key, msg, from);
            let ok = self.answer_invite(now, slot, 200, "OK", None, extra, out);
            if let Some(c) = self.calls.get_mut(call) {
                c.reinvite = Some(Reinvite::Incoming);
            }
            self.start_2xx_retransmission(now, call, ok, seq);
        } else {
            self.reply_non_invite(now, key, msg, from, 200, "OK", None, extra, out);
        }
        if was_held != answer.held {
            let handle = self.calls.handle(call);
            if let Some(local_port) = self.calls.get(call).and_then(|c| c.local_port.filter(|_| c.media_open))
            {
                out.media.push(MediaCommand::Direction { call: handle, local_port, send: !answer.held });
            }
            self.emit(call, if answer.held { EventKind::Held } else { EventKind::Resumed }, out);
        }
    }
}
