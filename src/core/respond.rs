//! Building our responses (the copied headers come from the writer; this
//! adds Contact, Allow, Server and friends) and sending them through the
//! right server transaction.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;

use super::{Outbox, ShardCore};
use crate::sip::{HeaderName, Message, ResponseHead, Writer};
use crate::txn::{NonInviteServerTxn, TxnCtx, TxnKey};

/// Methods we answer (RFC 3261 §20.5).
pub(crate) const ALLOW: &str = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO, MESSAGE, REGISTER";

/// Optional parts of a response.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Extra<'a> {
    /// Add our Contact and copy Record-Route (dialog-creating responses).
    pub dialog: bool,
    pub allow: bool,
    pub accept: bool,
    pub unsupported: Option<&'a str>,
    pub retry_after: Option<u32>,
    /// A REGISTER's Contact echoed with this expiry.
    pub registered: Option<(&'a str, u32)>,
    /// A 3xx's Contact: where the caller should go instead.
    pub redirect: Option<&'a str>,
    pub sdp: Option<&'a [u8]>,
}

impl ShardCore {
    /// Writes a response to `req` (received from `source`).
    pub(crate) fn build_response(
        &mut self,
        req: &Message,
        source: SocketAddr,
        code: u16,
        reason: &str,
        to_tag: Option<&str>,
        extra: Extra<'_>,
    ) -> Bytes {
        let ours = Ours { contact: &self.sdp.contact, server: &self.cfg.user_agent };
        write_response(
            &mut self.writer,
            ours,
            req,
            source,
            ResponseHead { code, reason, to_tag, source: None },
            extra,
        )
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
        let data = self.build_response(req, source, code, reason, None, extra);
        out.datagrams.push(crate::txn::OutDatagram { to: Self::reply_address(req, source), data });
    }

    /// Where responses to `req` go.
    pub(crate) fn reply_address(req: &Message, source: SocketAddr) -> SocketAddr {
        match req.via_reply_parts() {
            Ok((rport, port, maddr)) => crate::txn::response_destination_of(rport, port, maddr, source),
            Err(_) => source,
        }
    }

    /// Answers a non-INVITE request through a new server transaction.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn reply_non_invite(
        &mut self,
        now: Instant,
        key: TxnKey,
        req: &Message,
        source: SocketAddr,
        code: u16,
        reason: &str,
        to_tag: Option<&str>,
        extra: Extra<'_>,
        out: &mut Outbox,
    ) {
        let data = self.build_response(req, source, code, reason, to_tag, extra);
        let generation = self.next_generation();
        let txn = NonInviteServerTxn::new(Self::reply_address(req, source), generation);
        let slot = self.nist.insert(key, txn);
        let mut ctx =
            TxnCtx { now, wheel: &mut self.wheel, out: &mut out.datagrams, timers: &self.cfg.timers };
        if let Some(t) = self.nist.get_mut(slot) {
            t.respond(&mut ctx, slot, code, data);
        }
    }

    /// Sends a response through an existing INVITE server transaction.
    pub(crate) fn reply_invite(
        &mut self,
        now: Instant,
        slot: usize,
        code: u16,
        data: Bytes,
        out: &mut Outbox,
    ) {
        let mut ctx =
            TxnCtx { now, wheel: &mut self.wheel, out: &mut out.datagrams, timers: &self.cfg.timers };
        if let Some(t) = self.ist.get_mut(slot) {
            t.respond(&mut ctx, slot, code, data);
        }
    }

    /// Builds and sends a response to the INVITE in IST `slot`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn answer_invite(
        &mut self,
        now: Instant,
        slot: usize,
        code: u16,
        reason: &str,
        to_tag: Option<&str>,
        extra: Extra<'_>,
        out: &mut Outbox,
    ) -> Option<Bytes> {
        // Field by field, so the stored request is borrowed, not cloned.
        let t = self.ist.get(slot)?;
        let ours = Ours { contact: &self.sdp.contact, server: &self.cfg.user_agent };
        let head = ResponseHead { code, reason, to_tag, source: None };
        let data = write_response(&mut self.writer, ours, &t.request, t.source, head, extra);
        self.reply_invite(now, slot, code, data.clone(), out);
        Some(data)
    }
}

/// Our own header values a response carries.
#[derive(Clone, Copy)]
struct Ours<'a> {
    contact: &'a str,
    server: &'a str,
}

/// Writes a response to `req` (received from `source`).
fn write_response(
    writer: &mut Writer,
    ours: Ours<'_>,
    req: &Message,
    source: SocketAddr,
    head: ResponseHead<'_>,
    extra: Extra<'_>,
) -> Bytes {
    let mut b = writer.response(req, ResponseHead { source: Some(source), ..head });
    if extra.dialog {
        for rr in req.header_values(HeaderName::RecordRoute) {
            b = b.header("Record-Route", rr);
        }
        b = b.contact(ours.contact);
    }
    if extra.allow {
        b = b.header("Allow", ALLOW);
    }
    if extra.accept {
        b = b.header("Accept", "application/sdp");
    }
    if let Some(u) = extra.unsupported {
        b = b.header("Unsupported", u);
    }
    if let Some(r) = extra.retry_after {
        b = b.header_u32("Retry-After", r);
    }
    if let Some((contact, expires)) = extra.registered {
        b = b.header("Contact", contact).header_u32("Expires", expires);
    }
    if let Some(uri) = extra.redirect {
        b = if uri.starts_with('<') { b.header("Contact", uri) } else { b.contact(uri) };
    }
    b = b.header("Server", ours.server);
    match extra.sdp {
        Some(body) => b.body("application/sdp", body),
        None => b.finish(),
    }
}
