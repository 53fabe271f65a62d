//! Requests inside a dialog (RFC 3261 §12.2.2): matched by Call-ID and
//! tags, CSeq order checked by the call, then BYE, re-INVITE/UPDATE, INFO,
//! MESSAGE, NOTIFY, OPTIONS, PRACK, REFER (ACK has its own file; inspection refused the
//! methods we do not serve).

use std::net::SocketAddr;
use std::time::Instant;

use super::{Extra, reason_phrase};
use crate::core::{IncomingRequest, Outbox, ShardCore};
use crate::sip::{HeaderName, Message, Method, ResponseHead};
use crate::txn::TxnKey;

/// A response to an in-dialog request: the dialog's tags are in the
/// request already.
fn head(code: u16, reason: &str) -> ResponseHead<'_> {
    ResponseHead { code, reason, to_tag: None, source: None }
}

impl ShardCore {
    /// The call whose dialog this request belongs to.
    pub(crate) fn dialog_of(&self, msg: &Message) -> Option<usize> {
        let slot = self.calls.find(msg.call_id())?;
        let d = self.calls.get(slot)?.dialog();
        let to_tag = msg.to_tag().ok()?.unwrap_or("");
        if d.local_tag() != to_tag {
            return None;
        }
        // A From written exactly as the INVITE's holds the same tag: the
        // usual case needs no second parse of it.
        if msg.header(HeaderName::From) == Some(d.remote_addr()) {
            return Some(slot);
        }
        let from_tag = msg.from_tag().ok()?.unwrap_or("");
        (d.remote_tag() == from_tag).then_some(slot)
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
            return self.refuse(now, from, key, msg, 481, reason, Extra::default(), out);
        };
        let h = self.handle(call);
        let handle = Some(h);
        let seq = msg.cseq_number().unwrap_or(0);
        let Some(c) = self.calls.get_mut(call) else { return };
        if !c.check_cseq(seq, msg.method().as_str(), &mut self.step) {
            self.run_effects(call, out);
            let reason = "Server Internal Error - CSeq Out Of Order";
            return self.refuse(now, from, key, msg, 500, reason, Extra::default(), out);
        }
        match msg.method() {
            Method::Bye => {
                self.reply_non_invite(now, key, msg, from, head(200, "OK"), Extra::default(), handle, out);
                if let Some(c) = self.calls.get_mut(call) {
                    c.on_bye(&mut self.step);
                }
            }
            Method::Invite | Method::Update => self.on_offer(now, from, key, msg, call, out),
            Method::Prack => self.on_prack(now, from, key, msg, call, out),
            Method::Refer => self.on_refer(now, from, key, msg, call, out),
            Method::Info | Method::Message | Method::Notify | Method::Options => {
                let code = c.on_transfer_notify(msg, &mut self.step).unwrap_or_else(|| {
                    let request = IncomingRequest { msg, source: from };
                    self.handler.on_in_dialog_request(h, &request).code()
                });
                let capabilities = msg.method() == Method::Options && code == 200;
                let extra = Extra { capabilities, ..Extra::default() };
                self.reply_non_invite(
                    now,
                    key,
                    msg,
                    from,
                    head(code, reason_phrase(code)),
                    extra,
                    handle,
                    out,
                );
            }
            // Inspection refused every other method already.
            _ => {
                let extra = Extra { allow: true, ..Extra::default() };
                self.reply_non_invite(
                    now,
                    key,
                    msg,
                    from,
                    head(405, "Method Not Allowed"),
                    extra,
                    handle,
                    out,
                );
            }
        }
        self.run_effects(call, out);
    }

    /// re-INVITE or UPDATE: the call answers the offer if it can (491 on
    /// glare, §14.2); the SDP answer is ours to write.
    fn on_offer(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        call: usize,
        out: &mut Outbox,
    ) {
        let session =
            self.cfg.session_timer.as_ref().map(|st| crate::core::session_timer::negotiate(st, msg));
        if let Some(Err(min)) = session {
            let extra = Extra { min_se: Some(min), ..Extra::default() };
            return self.refuse(now, from, key, msg, 422, "Session Interval Too Small", extra, out);
        }
        let session = session.and_then(Result::ok);
        let Some(c) = self.calls.get_mut(call) else { return };
        if msg.method() == Method::Update && msg.body().is_empty() {
            // A refresh without an offer (RFC 4028 §7.4): 200 at once.
            if let Some(n) = session {
                c.session_refreshed(n, &mut self.step);
            }
            let extra = Extra { session: session.map(|n| n.header), ..Extra::default() };
            let handle = Some(self.handle(call));
            return self.reply_non_invite(now, key, msg, from, head(200, "OK"), extra, handle, out);
        }
        if let Some(n) = session {
            c.set_session(n);
        }
        let (port, version) = match c.offer_allowed() {
            Ok(v) => v,
            Err((code, reason)) => {
                let extra = Extra { retry_after: (code == 500).then_some(1), ..Extra::default() };
                return self.refuse(now, from, key, msg, code, reason, extra, out);
            }
        };
        let answer = if super::invite::accepts_sdp(msg) {
            self.sdp.answer_offer(msg, port, version, c.srtp())
        } else {
            Err((406, "Not Acceptable"))
        };
        let answer = match answer {
            Ok(a) => a,
            Err((code, reason)) => {
                c.offer_refused(code, reason, &mut self.step);
                self.run_effects(call, out);
                return self.refuse(now, from, key, msg, code, reason, Extra::default(), out);
            }
        };
        let handle = Some(self.handle(call));
        let reinvite = if msg.method() == Method::Invite {
            let reply_to = self.reply_peer(msg, from);
            Some((self.new_ist(key, msg, from), answer.body, reply_to))
        } else {
            let session = session.map(|n| n.header);
            let extra = Extra { dialog: true, sdp: Some(&answer.body), session, ..Extra::default() };
            self.reply_non_invite(now, key, msg, from, head(200, "OK"), extra, handle, out);
            None
        };
        if let Some(c) = self.calls.get_mut(call) {
            c.offer_answered(version, answer.held, reinvite, &mut self.step);
            c.rekey(answer.srtp, &mut self.step);
            if let Some(n) = session {
                c.session_refreshed(n, &mut self.step);
            }
        }
    }
}
