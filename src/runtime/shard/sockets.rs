//! A shard's turn on its sockets: readiness events, the UDP socket
//! drained in batches, messages framed off its connections dispatched by
//! Call-ID, and messages other shards' calls send on its connections.

use std::time::Instant;

use mio::Events;

use super::{SOCKET, Shard};

/// Receive batches per loop turn at most.
const BATCHES_PER_TURN: usize = 8;
use crate::runtime::streams::Streams;

impl Shard {
    /// Handles one poll's events; true when the UDP socket is readable.
    pub(super) fn on_events(&mut self, events: &Events) -> bool {
        let now = Instant::now();
        let mut udp = false;
        for ev in events.iter() {
            if ev.token() == SOCKET {
                udp = true;
            } else if Streams::owns(ev.token()) {
                self.streams.on_event(now, ev, &mut self.arrived);
            }
        }
        udp
    }

    /// Left-over reads and accepts, then everything framed this turn to
    /// the core (or its owner shard).
    pub(super) fn drain_streams(&mut self) {
        self.streams.turn(Instant::now(), &mut self.arrived);
        if self.arrived.is_empty() {
            return;
        }
        let (core, output, local) = (&mut self.core, &mut self.output, &mut self.local);
        self.input.dispatch_stream(&mut self.arrived, &self.mailboxes, core, output, local);
        self.flush();
    }

    /// Messages for our connections from other shards' calls, and this
    /// shard's calls whose messages another shard could not send.
    pub(super) fn drain_writes(&mut self) {
        let me = &self.mailboxes[self.id];
        let now = Instant::now();
        let mut any = false;
        while let Some(t) = me.writes.pop() {
            self.streams.send(now, t, &self.mailboxes);
            any = true;
        }
        while let Some((call, why)) = me.send_failures.pop() {
            self.core.on_send_failure(now, call, &why, &mut self.output.out);
            any = true;
        }
        if any {
            self.flush();
        }
    }

    /// Reads the UDP socket in batches until it is empty, or
    /// `BATCHES_PER_TURN` batches (then again next turn, without sleeping:
    /// hand-offs, timers and the answers get their turn in between). The
    /// answers go out once, at the end of the turn.
    pub(super) fn drain_socket(&mut self) {
        for _ in 0..BATCHES_PER_TURN {
            let Some(socket) = &self.socket else { return };
            let (n, failed) = self.input.drain_socket(
                socket,
                &self.mailboxes,
                &mut self.core,
                &mut self.output,
                &mut self.local,
            );
            if failed {
                self.udp_again = true;
            }
            if n < crate::transport::BATCH_SIZE {
                return;
            }
        }
        self.udp_again = true;
    }
}
