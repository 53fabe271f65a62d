//! Each connection's one timer, armed at its nearest deadline: the
//! message (or handshake, or connect) in progress, output the peer does
//! not take, no traffic at all. Activity moves deadlines later without
//! re-arming: a firing that finds the connection busy arms again.

use std::time::Instant;

use super::Streams;
use crate::transport::stream::CloseCause;

impl Streams {
    /// Arms the connection's timer at its nearest deadline.
    pub(super) fn arm(&mut self, _now: Instant, slot: usize) {
        let l = self.limits;
        let Some(e) = self.table.get_mut(slot) else { return };
        let mut at = e.active + l.idle_timeout;
        for started in [e.msg_start, e.stall].into_iter().flatten() {
            at = at.min(started + l.message_timeout);
        }
        if let Some(h) = e.timer.take() {
            self.wheel.cancel(h);
        }
        e.timer = Some(self.wheel.insert(at, (slot as u32, e.generation)));
    }

    /// Fires due connection timers: closes what is overdue, re-arms the
    /// rest.
    pub(crate) fn on_timers(&mut self, now: Instant) {
        let mut due = Vec::new();
        self.wheel.poll(now, |_, t| due.push(t));
        let l = self.limits;
        for (slot, generation) in due {
            let slot = slot as usize;
            let Some(e) = self.table.get_mut(slot).filter(|e| e.generation == generation) else { continue };
            e.timer = None;
            let late = |since: Option<Instant>| since.is_some_and(|s| now >= s + l.message_timeout);
            let cause = if late(e.msg_start) {
                // A connect of ours that never completed, else a message
                // (or handshake) that did not.
                let connecting = !e.accepted && !e.conn.established() && e.unheard;
                Some(if connecting { CloseCause::ConnectFailed } else { CloseCause::MessageTimeout })
            } else if late(e.stall) {
                Some(CloseCause::OutputFull)
            } else if now >= e.active + l.idle_timeout {
                Some(CloseCause::Idle)
            } else {
                None
            };
            match cause {
                Some(c) => self.close(now, slot, c),
                None => self.arm(now, slot),
            }
        }
    }

    /// Closes every connection (the engine stops).
    pub(crate) fn close_all(&mut self, now: Instant) {
        self.flush(now);
        for slot in self.table.slots() {
            self.close(now, slot, CloseCause::Shutdown);
        }
    }
}
