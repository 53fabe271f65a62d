//! Reading a connection: bytes framed into messages for dispatch, pings
//! answered, the message timer started or stopped, and the connection
//! closed with its cause when the stream ends or cannot be framed.

use std::time::Instant;

use super::{Arrived, Streams};
use crate::transport::stream::{CloseCause, Framed, PONG, ReadTurn};

/// Connections that must have come and mostly gone before the table's
/// room is given back.
const SHRINK_AFTER: usize = 1024;

impl Streams {
    /// A read turn on the connection in `slot`.
    pub(super) fn read(&mut self, now: Instant, slot: usize, msgs: &mut Vec<Arrived>, to_end: bool) {
        let Some(peer) = self.peer_of(slot) else { return };
        let Some(e) = self.table.get_mut(slot) else { return };
        if e.paused {
            return;
        }
        let (before, mut pings) = (msgs.len(), 0u64);
        let turn = e.conn.read(
            &mut self.scratch,
            &self.parse,
            &mut |f| match f {
                Framed::Message(data) => msgs.push((peer, data)),
                Framed::Ping => pings += 1,
            },
            to_end,
        );
        let framed = (msgs.len() - before) as u64;
        self.stats.messages_in += framed;
        self.stats.pings += pings;
        for _ in 0..pings {
            e.conn.queue(bytes::Bytes::from_static(PONG));
        }
        if framed > 0 || pings > 0 {
            e.active = now;
        }
        if framed > 0 && e.unheard {
            e.unheard = false;
            e.waiting.clear();
        }
        let was_partial = e.msg_start.is_some();
        let partial = e.conn.pending_in() > 0 || !e.conn.established();
        e.msg_start = match (partial, e.msg_start) {
            (true, Some(t)) if framed == 0 => Some(t),
            (true, _) => Some(now),
            (false, _) => None,
        };
        let wants_write = e.conn.wants_write();
        match turn {
            Ok(ReadTurn::More) => self.again.push(slot),
            Ok(ReadTurn::Drained) => {}
            Err(cause) => {
                // What was framed before the end still counts; the rest
                // of the connection goes.
                return self.close(now, slot, cause);
            }
        }
        if wants_write {
            self.mark_dirty(slot);
        }
        if partial && !was_partial {
            // The message timer is usually sooner than the idle one.
            self.arm(now, slot);
        }
    }

    /// Closes a connection: counted by cause; calls with messages still
    /// waiting for it to come up hear that they cannot be sent.
    pub(super) fn close(&mut self, _now: Instant, slot: usize, cause: CloseCause) {
        let Some(mut e) = self.table.remove(slot) else { return };
        let _ = self.registry.deregister(e.conn.socket());
        if let Some(h) = e.timer.take() {
            self.wheel.cancel(h);
        }
        if matches!(cause, CloseCause::Released | CloseCause::Shutdown | CloseCause::Idle) {
            e.conn.shut_down();
        }
        let t = e.conn.transport.index();
        self.stats.open[t] = self.stats.open[t].saturating_sub(1);
        // After a crowd: when three quarters are gone, and when all are.
        self.peak = self.peak.max(self.table.len() + 1);
        self.crowded |= self.peak >= SHRINK_AFTER;
        let left = self.table.len();
        if self.crowded && (left < self.peak / 4 || left == 0) {
            self.give_back_memory();
        }
        self.stats.closed[cause.index()] += 1;
        if e.unheard {
            for call in e.waiting.drain(..) {
                self.failures.push((call, format!("connection to {} failed: {}", e.conn.peer, cause.name())));
            }
        }
    }
}

impl Streams {
    /// Most connections were closed: the table shrinks and the allocator
    /// returns freed pages to the system (glibc keeps them otherwise), so
    /// memory comes back to its idle level after a flood.
    fn give_back_memory(&mut self) {
        self.table.shrink();
        self.again.shrink_to_fit();
        self.dirty.shrink_to_fit();
        // Again once the rest are gone.
        self.peak = self.table.len();
        self.crowded = self.peak > 0;
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim only releases free memory; no pointer is involved.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}
