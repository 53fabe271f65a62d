//! Sending our responses: through a new or existing server transaction
//! of the right kind, or statelessly.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;

use super::write::{Extra, Ours, write_response};
use crate::core::{CallHandle, Outbox, ShardCore, Transmit};
use crate::sip::{Message, Method, ResponseHead};
use crate::txn::{InviteServerTxn, MessageKind, NonInviteServerTxn, Peer, TxnKey};

/// Where responses to `req` go.
fn reply_address(req: &Message, source: SocketAddr) -> SocketAddr {
    match req.via_reply_parts() {
        Ok((rport, port, maddr)) => crate::txn::response_destination_of(rport, port, maddr, source),
        Err(_) => source,
    }
}

impl ShardCore {
    /// Where responses to `req` (from `source`, the message being
    /// handled) go: over a stream, back on its connection, and to the
    /// Via's address should that connection be gone (RFC 3261 §18.2.2).
    pub(crate) fn reply_peer(&self, req: &Message, source: SocketAddr) -> Peer {
        self.arrived.at(reply_address(req, source))
    }

    fn build_response(
        &mut self,
        req: &Message,
        source: SocketAddr,
        head: ResponseHead<'_>,
        extra: Extra<'_>,
    ) -> Bytes {
        let ours = Ours {
            contact: self.sdp.contact_for(self.arrived.transport),
            server: &self.cfg.user_agent,
            allow: crate::core::server::allow(self.cfg.registrar.is_some()),
            supported: crate::core::server::supported(self.cfg.session_timer.is_some()),
        };
        write_response(&mut self.writer, ours, req, source, head, extra)
    }

    /// A response sent without a transaction: retransmissions of the
    /// request get it again from scratch (400s, refusals at the limit).
    pub(crate) fn reply_stateless(
        &mut self,
        req: &Message,
        source: SocketAddr,
        code: u16,
        reason: &str,
        extra: Extra<'_>,
        out: &mut Outbox,
    ) {
        // A To tag of our own, as every final response needs (§8.2.6.2).
        let tag = self.ids.token();
        let head = ResponseHead { code, reason, to_tag: Some(&tag), source: None };
        let data = self.build_response(req, source, head, extra);
        let kind = MessageKind::Response(code);
        out.transmits.push(Transmit { to: self.reply_peer(req, source), data, kind, call: None });
    }

    /// Answers a non-INVITE request through a new server transaction.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn reply_non_invite(
        &mut self,
        now: Instant,
        key: TxnKey,
        req: &Message,
        source: SocketAddr,
        head: ResponseHead<'_>,
        extra: Extra<'_>,
        call: Option<CallHandle>,
        out: &mut Outbox,
    ) {
        let code = head.code;
        let data = self.build_response(req, source, head, extra);
        let txn = NonInviteServerTxn::new(self.reply_peer(req, source), self.ids.generation());
        let slot = self.nist.insert(key, txn);
        self.admission.transaction_started();
        if let Some(t) = self.nist.get_mut(slot) {
            t.respond(&mut self.clock.txn(now, &mut out.transmits, call), slot, code, data);
        }
    }

    /// Creates an INVITE server transaction for `msg`, which it takes
    /// (leaving an empty message): requests travel by reference and are
    /// moved once, here, instead of at every step of the dispatch.
    pub(crate) fn new_ist(&mut self, key: TxnKey, msg: &mut Message, from: SocketAddr) -> usize {
        let reply_to = self.reply_peer(msg, from);
        let txn =
            InviteServerTxn::new(self.clock.boxes.boxed(msg.take()), from, reply_to, self.ids.generation());
        self.admission.transaction_started();
        self.ist.insert(key, txn)
    }

    /// Answers a request that makes no call, through whichever kind of
    /// server transaction fits, with a To tag of its own.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn refuse(
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
        let tag = self.ids.token();
        let head = ResponseHead { code, reason, to_tag: Some(&tag), source: None };
        self.refuse_with(now, from, key, msg, head, extra, out);
    }

    /// The same with the response's head given.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn refuse_with(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        head: ResponseHead<'_>,
        extra: Extra<'_>,
        out: &mut Outbox,
    ) {
        if msg.method() != Method::Invite {
            return self.reply_non_invite(now, key, msg, from, head, extra, None, out);
        }
        let slot = self.new_ist(key, msg, from);
        let Some(t) = self.ist.get_mut(slot) else { return };
        let Some(request) = t.request() else { return };
        let ours = Ours {
            contact: self.sdp.contact_for(self.arrived.transport),
            server: &self.cfg.user_agent,
            allow: crate::core::server::allow(self.cfg.registrar.is_some()),
            supported: crate::core::server::supported(self.cfg.session_timer.is_some()),
        };
        let data = write_response(&mut self.writer, ours, request, t.source, head, extra);
        t.respond(&mut self.clock.txn(now, &mut out.transmits, None), slot, head.code, data);
    }
}
