//! Requests we answer: retransmissions absorbed by their transaction
//! first, then admission (source limits, the transaction limit), then new
//! INVITEs, other out-of-dialog methods, CANCEL, ACK and requests inside a
//! dialog. Malformed input gets 400 or a counted drop.

mod ack;
mod cancel;
mod in_dialog;
mod invite;
mod malformed;
mod out_of_dialog;
mod reason;
mod respond;
mod write;

use std::net::SocketAddr;
use std::time::Instant;

pub(crate) use reason::reason_phrase;
pub(crate) use write::{ALLOW, Extra, Ours, write_response};

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
        if msg.method() == Method::Cancel {
            return self.on_cancel(now, from, key, msg, out);
        }
        let in_dialog = msg.to_tag().is_ok_and(|t| t.is_some());
        if !in_dialog && !self.admission.admit_request(&self.cfg, from, now) {
            return self.over_source_limit(now, from, key, msg, out);
        }
        if !in_dialog && self.ist.len() + self.nist.len() >= self.cfg.max_transactions {
            // Stateless: at the limit no new transaction is made, not even
            // for the refusal.
            self.stats.txn_limited += 1;
            let reason = "Service Unavailable - Transaction Limit";
            let extra = Extra { retry_after: Some(5), ..Extra::default() };
            return self.reply_stateless(msg, from, 503, reason, extra, out);
        }
        // RFC 3261 §8.2.2.3: we support no extensions a peer may require.
        if msg.require().next().is_some() {
            let list = msg.require().collect::<Vec<_>>().join(", ");
            let extra = Extra { unsupported: Some(&list), ..Extra::default() };
            return self.refuse(now, from, key, msg, 420, "Bad Extension", extra, out);
        }
        if in_dialog {
            self.on_in_dialog(now, from, key, msg, out)
        } else if msg.method() == Method::Invite {
            self.on_new_invite(now, from, key, msg, out)
        } else {
            self.on_out_of_dialog(now, from, key, msg, out)
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
