//! Requests we answer: retransmissions absorbed by their transaction
//! first, then a To we can echo, admission (source limits, the
//! transaction limit), method and header inspection (501, 405, 416, 420),
//! then new INVITEs, REGISTER, other out-of-dialog methods, CANCEL, ACK
//! and requests inside a dialog. Malformed input gets 400 or a counted
//! drop.

mod ack;
mod cancel;
mod in_dialog;
mod inspect;
mod invite;
mod malformed;
mod out_of_dialog;
mod prack;
mod reason;
mod refer;
mod register;
mod respond;
mod write;

use std::net::SocketAddr;
use std::time::Instant;

pub use inspect::UriSchemes;
pub(crate) use reason::reason_phrase;
pub(crate) use write::{Extra, Ours, allow, supported, write_response};

use crate::core::{LimitAction, Outbox, ShardCore};
use crate::sip::{Message, Method};
use crate::txn::TxnKey;

impl ShardCore {
    pub(crate) fn on_request(&mut self, now: Instant, from: SocketAddr, msg: &mut Message, out: &mut Outbox) {
        self.stats.requests_in += 1;
        self.stats.requests_in_by_method[msg.method().index()] += 1;
        let key = match TxnKey::server(msg) {
            Ok(k) => k,
            Err(e) => return self.bad_request(from, msg, e, out),
        };
        if msg.method() == Method::Ack {
            return self.on_ack(now, &key, msg, out);
        }
        if self.absorb_retransmission(now, &key, msg.method() == Method::Invite, out) {
            return;
        }
        // Every response echoes the To: one we cannot read is refused
        // rather than copied (RFC 4475 §3.1.2.6, §3.1.2.14).
        let in_dialog = match msg.to_tag() {
            Ok(tag) => tag.is_some(),
            Err(e) => {
                self.stats.bad_requests += 1;
                return self.refuse(now, from, key, msg, 400, e.reason_phrase(), Extra::default(), out);
            }
        };
        if msg.method() == Method::Cancel {
            return self.on_cancel(now, from, key, msg, out);
        }
        if !in_dialog && !self.admission.admit_request(&self.cfg, from, now) {
            return self.over_source_limit(now, from, key, msg, out);
        }
        if !in_dialog && !self.admission.transaction_room() {
            // Stateless: at the limit no new transaction is made, not even
            // for the refusal.
            self.stats.txn_limited += 1;
            let reason = "Service Unavailable - Transaction Limit";
            let extra = Extra { retry_after: Some(5), ..Extra::default() };
            return self.reply_stateless(msg, from, 503, reason, extra, out);
        }
        if let Err(r) = inspect::inspect(msg, &self.cfg) {
            let extra = Extra { allow: r.allow, unsupported: r.unsupported.as_deref(), ..Extra::default() };
            return self.refuse(now, from, key, msg, r.code, r.reason, extra, out);
        }
        let key = if in_dialog {
            key
        } else {
            match self.authorized(now, from, key, msg, out) {
                Some(key) => key,
                None => return,
            }
        };
        match msg.method() {
            Method::Register => self.on_register(now, from, key, msg, out),
            _ if in_dialog => self.on_in_dialog(now, from, key, msg, out),
            Method::Invite => self.on_new_invite(now, from, key, msg, out),
            _ => self.on_out_of_dialog(now, from, key, msg, out),
        }
    }

    /// A request over its source's limit: 503 with Retry-After through a
    /// transaction (so retransmissions are absorbed), or a counted drop.
    fn over_source_limit(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        out: &mut Outbox,
    ) {
        self.stats.source_limited += 1;
        if self.cfg.source_limit.is_some_and(|l| l.action == LimitAction::Reject) {
            let extra = Extra { retry_after: Some(1), ..Extra::default() };
            self.refuse(now, from, key, msg, 503, "Service Unavailable - Source Over Limit", extra, out);
        }
    }

    /// A retransmitted request goes to its transaction, which answers
    /// again (never the TU). Returns whether the request was one.
    fn absorb_retransmission(&mut self, now: Instant, key: &TxnKey, invite: bool, out: &mut Outbox) -> bool {
        let mut ctx = self.clock.txn(now, &mut out.transmits, None);
        let resent = if invite {
            self.ist.find(key).and_then(|s| self.ist.get(s)).map(|t| t.on_retransmit(&mut ctx))
        } else {
            self.nist.find(key).and_then(|s| self.nist.get(s)).map(|t| t.on_retransmit(&mut ctx))
        };
        let Some(resent) = resent else { return false };
        self.stats.retransmissions_in += 1;
        self.stats.retransmissions += u64::from(resent);
        true
    }
}
