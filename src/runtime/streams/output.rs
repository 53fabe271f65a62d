//! Sending on streams: a message goes on the connection it names while
//! that is open (through its owner's mailbox when another shard owns it),
//! else on our connection to its address, else on a new one. Output is
//! queued, then flushed once per turn; a peer that does not read is
//! paused, then closed.

use std::time::Instant;

use mio::Interest;

use super::{ConnectionReuse, Streams};
use crate::core::Transmit;
use crate::runtime::mailbox::ShardMailbox;
use crate::sip::{Method, Transport};
use crate::transport::connect_tcp;
use crate::transport::stream::{CloseCause, StreamConn};
use crate::transport::tls::name_for;
use crate::txn::{ConnId, MessageKind};

impl Streams {
    /// Routes one message for a stream peer.
    pub(crate) fn send(&mut self, now: Instant, t: Transmit, mailboxes: &[ShardMailbox]) {
        if let Some(id) = t.to.conn {
            if id.shard != self.shard {
                return self.forward(id, t, mailboxes);
            }
            if let Some(slot) = self.table.live(id) {
                return self.queue(now, slot, t);
            }
        }
        let per_call = self.reuse == ConnectionReuse::PerCall
            && t.to.conn.is_none()
            && t.kind == MessageKind::Request(Method::Invite);
        let existing = if per_call { None } else { self.table.outbound(t.to.transport, t.to.addr) };
        let slot = match existing.or_else(|| self.connect(now, &t)) {
            Some(s) => s,
            None => {
                self.stats.undeliverable += 1;
                if let Some(call) = t.call {
                    self.failures
                        .push((call, format!("cannot connect to {} over {}", t.to.addr, t.to.transport)));
                }
                return;
            }
        };
        if existing.is_none() {
            if per_call {
                if let Some(e) = self.table.get_mut(slot) {
                    e.owner_call = t.call;
                }
            } else {
                self.table.index(slot);
            }
        }
        self.queue(now, slot, t);
    }

    /// A message for a connection another shard owns goes to its mailbox.
    fn forward(&mut self, id: ConnId, t: Transmit, mailboxes: &[ShardMailbox]) {
        let call = t.call;
        match mailboxes.get(usize::from(id.shard)).map(|m| m.writes.push(t).map(|()| m)) {
            Some(Ok(m)) => m.wake_if_parked(),
            _ => {
                self.stats.undeliverable += 1;
                if let Some(call) = call {
                    self.failures.push((call, "the connection's shard is overloaded".into()));
                }
            }
        }
    }

    /// Opens a connection for `t`'s peer (TLS with its client context).
    fn connect(&mut self, now: Instant, t: &Transmit) -> Option<usize> {
        if self.table.len() >= self.limits.max_connections {
            return None;
        }
        let tls = match t.to.transport {
            Transport::Tls => {
                let ctx = self.tls.as_ref()?;
                let name = name_for(&ctx.server_name, t.to.addr.ip());
                let c = rustls::ClientConnection::new(ctx.client.clone(), name).ok()?;
                Some(rustls::Connection::Client(c))
            }
            Transport::Tcp => None,
            Transport::Udp => return None,
        };
        let sock = connect_tcp(t.to.addr).ok()?;
        self.adopt(now, StreamConn::new(sock, t.to.addr, tls, false), false)
    }

    /// Queues a message on the connection in `slot`.
    fn queue(&mut self, now: Instant, slot: usize, t: Transmit) {
        let Some(e) = self.table.get_mut(slot) else { return };
        if e.unheard
            && let Some(call) = t.call
            && e.waiting.len() < 8
            && !e.waiting.contains(&call)
        {
            e.waiting.push(call);
        }
        e.conn.queue(t.data);
        e.active = now;
        let out = e.conn.pending_out();
        if out > 4 * self.limits.max_output {
            return self.close(now, slot, CloseCause::OutputFull);
        }
        if out > self.limits.max_output {
            e.paused = true;
        }
        self.mark_dirty(slot);
    }

    pub(super) fn mark_dirty(&mut self, slot: usize) {
        if let Some(e) = self.table.get_mut(slot)
            && !e.dirty
        {
            e.dirty = true;
            self.dirty.push(slot);
        }
    }

    /// Writes what was queued this turn.
    pub(crate) fn flush(&mut self, now: Instant) {
        for slot in std::mem::take(&mut self.dirty) {
            if let Some(e) = self.table.get_mut(slot) {
                e.dirty = false;
                self.write(now, slot);
            }
        }
    }

    /// The socket can take more (or a connect completed).
    pub(super) fn on_writable(&mut self, now: Instant, slot: usize) {
        let Some(e) = self.table.get_mut(slot) else { return };
        match e.conn.finish_connect() {
            Ok(true) => {}
            Ok(false) => return,
            Err(_) => return self.close(now, slot, CloseCause::ConnectFailed),
        }
        self.write(now, slot);
    }

    /// Writes to the socket; keeps writable interest while output waits,
    /// resumes reading once it has drained, closes a released connection
    /// once flushed.
    fn write(&mut self, now: Instant, slot: usize) {
        let token = Self::token(slot);
        let Some(e) = self.table.get_mut(slot) else { return };
        let done = match e.conn.flush() {
            Ok(d) => d,
            Err(cause) => return self.close(now, slot, cause),
        };
        let connected = e.conn.connected();
        if e.conn.established() && e.conn.pending_in() == 0 {
            e.msg_start = None; // our connect (or handshake) completed
        }
        e.stall = match (done, e.stall) {
            (true, _) => None,
            (false, Some(s)) => Some(s),
            (false, None) => Some(now),
        };
        let want = !done || !connected;
        if want != e.writable {
            e.writable = want;
            let interest = if want { Interest::READABLE | Interest::WRITABLE } else { Interest::READABLE };
            let _ = self.registry.reregister(e.conn.socket(), token, interest);
        }
        let resume = e.paused && e.conn.pending_out() <= self.limits.max_output / 2;
        if resume {
            e.paused = false;
            self.again.push(slot);
        }
        if done && e.closing {
            self.close(now, slot, CloseCause::Released);
        }
    }

    /// Connections the core's calls no longer need: those opened for one
    /// call close once their output is out.
    pub(crate) fn release(&mut self, now: Instant, ids: &[ConnId]) {
        for &id in ids {
            let Some(slot) = self.table.live(id) else { continue };
            let Some(e) = self.table.get_mut(slot) else { continue };
            if e.owner_call.is_some() {
                e.closing = true;
                self.mark_dirty(slot);
            }
        }
        self.flush(now);
    }
}
