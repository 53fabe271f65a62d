//! Which media thread owns each stream, and how a stream moves between
//! threads: commands reach the owner by the port's route, and a bridge of
//! two streams on different threads moves the first to its partner's.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use crossbeam::queue::SegQueue;
use mio::{Interest, Token, Waker};

use super::command::StreamCommand;
use super::stream::Stream;
use super::worker::Worker;

/// What any thread holds of one media thread: its queue and waker.
pub(crate) struct LaneLink {
    pub(crate) commands: SegQueue<StreamCommand>,
    pub(crate) waker: Waker,
}

impl LaneLink {
    pub(crate) fn push(&self, cmd: StreamCommand) {
        self.commands.push(cmd);
        let _ = self.waker.wake();
    }
}

/// Every lane plus the owner of each port pair, by `(port - first) / 2`.
pub(crate) struct Lanes {
    pub(crate) links: Vec<LaneLink>,
    first: u16,
    route: Vec<AtomicU8>,
}

impl Lanes {
    pub(crate) fn new(links: Vec<LaneLink>, first: u16, pairs: usize) -> Lanes {
        Lanes { links, first, route: (0..pairs).map(|_| AtomicU8::new(0)).collect() }
    }

    fn slot(&self, port: u16) -> Option<&AtomicU8> {
        self.route.get(usize::from(port.wrapping_sub(self.first) / 2))
    }

    pub(crate) fn owner(&self, port: u16) -> usize {
        self.slot(port).map_or(0, |r| usize::from(r.load(Ordering::Acquire)))
    }

    pub(crate) fn set_owner(&self, port: u16, lane: usize) {
        if let Some(r) = self.slot(port) {
            r.store(lane as u8, Ordering::Release);
        }
    }

    /// Queues a command on the thread that owns its port.
    pub(crate) fn send(&self, cmd: StreamCommand) {
        let lane = cmd.port().map_or(0, |p| self.owner(p));
        self.links[lane].push(cmd);
    }
}

impl Worker {
    /// A command for a port this thread does not hold: it moved (or is
    /// moving) to another thread, which gets the command after the stream.
    pub(crate) fn forward_elsewhere(&self, cmd: StreamCommand) {
        let Some(port) = cmd.port() else { return };
        let owner = self.lanes.owner(port);
        if owner != self.lane {
            self.lanes.links[owner].push(cmd);
        }
    }

    /// Links `port` with `partner`; when the partner lives on another
    /// thread, moves this stream there first.
    pub(crate) fn bridge(&mut self, port: u16, partner: u16) {
        let Some(&slot) = self.by_port.get(&port) else {
            return self.forward_elsewhere(StreamCommand::Bridge { local_port: port, partner });
        };
        if let Some(&other) = self.by_port.get(&partner) {
            return self.link(slot, other);
        }
        let target = self.lanes.owner(partner);
        if target == self.lane {
            return; // the partner is gone
        }
        let mut s = self.streams.remove(slot);
        self.by_port.remove(&port);
        if let Some(p) = s.partner.take().and_then(|p| self.streams.get_mut(p)) {
            p.partner = None;
        }
        let reg = self.poll.registry();
        let _ = reg.deregister(&mut s.rtp);
        let _ = reg.deregister(&mut s.rtcp);
        // The stream goes first, the route after: commands sent meanwhile
        // come here and are forwarded behind it.
        self.lanes.links[target].push(StreamCommand::Adopt(Box::new(s), partner));
        self.lanes.set_owner(port, target);
    }

    /// Takes over a stream from another thread and links it.
    pub(crate) fn adopt(&mut self, mut s: Box<Stream>, partner: u16) {
        let slot = self.streams.vacant_key();
        let reg = self.poll.registry();
        let ok = reg.register(&mut s.rtp, Token(1 + 2 * slot), Interest::READABLE).is_ok()
            && reg.register(&mut s.rtcp, Token(2 + 2 * slot), Interest::READABLE).is_ok();
        let port = s.local_port;
        self.streams.insert(*s);
        self.by_port.insert(port, slot);
        if !ok {
            return self.close(slot);
        }
        if let Some(&other) = self.by_port.get(&partner) {
            self.link(slot, other);
        }
    }

    fn link(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        for (x, y) in [(a, b), (b, a)] {
            if let Some(old) = self.streams.get_mut(x).and_then(|s| s.partner.replace(y))
                && old != y
                && let Some(o) = self.streams.get_mut(old)
            {
                o.partner = None;
            }
        }
    }
}

/// Shared by the pool and its workers.
pub(crate) type SharedLanes = Arc<Lanes>;

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream").field("local_port", &self.local_port).field("mode", &self.mode).finish()
    }
}
