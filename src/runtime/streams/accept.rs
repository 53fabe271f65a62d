//! Accepting connections within the limits: the total, per source
//! address, and file descriptors; each refusal counted by cause.

use std::io;
use std::time::{Duration, Instant};

use mio::Interest;

use super::Streams;
use super::table::Entry;
use crate::sip::Transport;
use crate::transport::stream::{RefuseCause, StreamConn};

/// Connections accepted per listener event before others get a turn.
const ACCEPTS_PER_TURN: usize = 256;
/// Out of descriptors: wait this long before accepting again.
const DESCRIPTOR_PAUSE: Duration = Duration::from_millis(100);

impl Streams {
    /// Accepts from listener `i` (0 TCP, 1 TLS) until none wait or the
    /// turn runs out.
    pub(super) fn accept(&mut self, now: Instant, i: usize) {
        for _ in 0..ACCEPTS_PER_TURN {
            let Some(listener) = &self.listeners[i] else { return };
            let (sock, peer) = match listener.accept() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE)) => {
                    self.stats.refused[RefuseCause::Descriptors.index()] += 1;
                    self.accept_again = Some(now + DESCRIPTOR_PAUSE);
                    return;
                }
                Err(_) => return,
            };
            let refused = if self.table.len() >= self.limits.max_connections {
                Some(RefuseCause::Total)
            } else if self.table.accepted_from(peer.ip()) >= self.limits.max_per_source {
                Some(RefuseCause::PerSource)
            } else {
                None
            };
            if let Some(cause) = refused {
                // Dropping the socket closes it at once.
                self.stats.refused[cause.index()] += 1;
                continue;
            }
            let transport = if i == 1 { Transport::Tls } else { Transport::Tcp };
            let tls = match (transport, &self.tls) {
                (Transport::Tls, Some(ctx)) => match ctx.server.clone().map(rustls::ServerConnection::new) {
                    Some(Ok(c)) => Some(rustls::Connection::Server(c)),
                    _ => continue,
                },
                _ => None,
            };
            self.adopt(now, StreamConn::new(sock, peer, tls, true), true);
        }
        // Turn over with connections still waiting: come back next turn.
        self.accept_again = Some(now);
    }

    /// Takes a new connection into the table and the poll; its timer
    /// starts (a TLS handshake counts as a message in progress).
    pub(super) fn adopt(&mut self, now: Instant, conn: StreamConn, accepted: bool) -> Option<usize> {
        let transport = conn.transport;
        let handshake = transport == Transport::Tls || !accepted;
        let mut e = Entry::new(conn, now, accepted);
        e.msg_start = handshake.then_some(now);
        let slot = self.table.insert(e);
        let interest = if accepted { Interest::READABLE } else { Interest::READABLE | Interest::WRITABLE };
        let e = self.table.get_mut(slot)?;
        e.writable = !accepted;
        if self.registry.register(e.conn.socket(), Self::token(slot), interest).is_err() {
            self.table.remove(slot);
            return None;
        }
        let counter = if accepted { &mut self.stats.accepted } else { &mut self.stats.opened };
        counter[transport.index()] += 1;
        self.stats.open[transport.index()] += 1;
        self.arm(now, slot);
        Some(slot)
    }
}
