//! Requests: retransmission absorption first, then out-of-dialog methods,
//! then in-dialog dispatch. Malformed input gets 400 or a counted drop.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;

use super::respond::Extra;
use super::{LimitAction, Outbox, ShardCore};
use crate::sip::{Message, Method, ParseError, ParseErrorKind};
use crate::txn::{TxnCtx, TxnKey};

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
        if !in_dialog && !self.admit_source(now, from) {
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
            return self.reply_any(now, from, key, msg, 420, "Bad Extension", extra, out);
        }
        if in_dialog {
            self.on_in_dialog(now, from, key, msg, out)
        } else {
            self.on_out_of_dialog(now, from, key, msg, out)
        }
    }

    /// Whether a new out-of-dialog request from `from` is within its
    /// source's limit (always, when no limit is configured).
    fn admit_source(&mut self, now: Instant, from: SocketAddr) -> bool {
        match &self.cfg.source_limit {
            Some(limit) => self.sources.admit(limit, from.ip(), now),
            None => true,
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
            self.reply_any(now, from, key, msg, 503, "Service Unavailable - Source Over Limit", extra, out);
        }
    }

    /// A retransmitted request goes to its transaction, which answers
    /// again (never the TU). Returns whether the request was one.
    fn absorb_retransmission(&mut self, now: Instant, key: &TxnKey, invite: bool, out: &mut Outbox) -> bool {
        let mut ctx =
            TxnCtx { now, wheel: &mut self.wheel, out: &mut out.datagrams, timers: &self.cfg.timers };
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

    fn on_out_of_dialog(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        out: &mut Outbox,
    ) {
        if msg.method() == Method::Invite {
            return self.on_new_invite(now, from, key, msg, out);
        }
        let tag = self.next_id();
        match msg.method() {
            Method::Options | Method::Register => self.answer_by_handler(now, key, msg, from, &tag, out),
            Method::Message => {
                self.reply_non_invite(now, key, msg, from, 200, "OK", Some(&tag), Extra::default(), out)
            }
            Method::Extension | Method::Prack | Method::Subscribe | Method::Publish => {
                let extra = Extra { allow: true, ..Extra::default() };
                self.reply_non_invite(now, key, msg, from, 501, "Not Implemented", Some(&tag), extra, out);
            }
            // BYE, INFO, UPDATE, NOTIFY, REFER need a dialog.
            _ => {
                self.stats.unknown_dialog += 1;
                let reason = "Call/Transaction Does Not Exist";
                self.reply_non_invite(now, key, msg, from, 481, reason, Some(&tag), Extra::default(), out);
            }
        }
    }

    /// Answers through whichever kind of server transaction fits.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn reply_any(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        code: u16,
        reason: &str,
        extra: Extra<'_>,
        out: &mut Outbox,
    ) {
        let tag = self.next_id();
        if msg.method() == Method::Invite {
            let slot = self.new_ist(key, msg, from);
            self.answer_invite(now, slot, code, reason, Some(&tag), extra, out);
        } else {
            self.reply_non_invite(now, key, msg, from, code, reason, Some(&tag), extra, out);
        }
    }

    /// A datagram that failed to parse: 400 naming the fault when it is a
    /// request with enough headers to route a response, else a counted drop.
    pub(crate) fn on_bad_datagram(
        &mut self,
        from: SocketAddr,
        data: Bytes,
        err: ParseError,
        out: &mut Outbox,
    ) {
        self.stats.parse_errors += 1;
        self.stats.parse_errors_by_reason[err.kind.category()] += 1;
        if matches!(err.kind, ParseErrorKind::Empty) {
            return; // CRLF keep-alive
        }
        if let Ok(msg) = Message::parse_unvalidated(data, &self.cfg.limits) {
            self.bad_request(from, &msg, err, out);
        }
    }

    fn bad_request(&mut self, from: SocketAddr, msg: &Message, err: ParseError, out: &mut Outbox) {
        let routable = msg.is_request()
            && msg.method() != Method::Ack
            && msg.via().is_ok()
            && !msg.call_id().is_empty()
            && msg.header(crate::sip::HeaderName::CSeq).is_some();
        if !routable {
            return;
        }
        self.stats.bad_requests += 1;
        self.reply_stateless(msg, from, 400, err.reason_phrase(), Extra::default(), out);
    }
}
