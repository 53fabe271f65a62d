//! A shard's connections: slab slots with generations (a `ConnId` names
//! one), the index of connections we opened by peer, and the count of
//! accepted connections per source address.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use slab::Slab;
use smallvec::SmallVec;

use crate::core::CallHandle;
use crate::sip::Transport;
use crate::timer::TimerHandle;
use crate::transport::stream::StreamConn;
use crate::txn::ConnId;

/// One connection and what the shard keeps about it.
pub(crate) struct Entry {
    pub(crate) conn: StreamConn,
    pub(crate) generation: u16,
    /// Last traffic either way.
    pub(crate) active: Instant,
    /// When the unfinished message (or the TLS handshake) began.
    pub(crate) msg_start: Option<Instant>,
    /// Since when output has waited without the socket taking any.
    pub(crate) stall: Option<Instant>,
    pub(crate) timer: Option<TimerHandle>,
    pub(crate) accepted: bool,
    /// Reading stopped: the peer does not take its output.
    pub(crate) paused: bool,
    /// Registered for writable events.
    pub(crate) writable: bool,
    /// Has queued output to flush this turn.
    pub(crate) dirty: bool,
    /// Close once the output is flushed.
    pub(crate) closing: bool,
    /// Opened for this call alone (`ConnectionReuse::PerCall`).
    pub(crate) owner_call: Option<CallHandle>,
    /// In the index of connections we opened.
    pub(crate) indexed: bool,
    /// A connection we opened has not delivered a message yet.
    pub(crate) unheard: bool,
    /// Calls that sent on a connection we opened before it delivered any
    /// message: told if it fails first (refused, TLS rejected), rather
    /// than left to their timers.
    pub(crate) waiting: SmallVec<[CallHandle; 2]>,
}

impl Entry {
    pub(crate) fn new(conn: StreamConn, now: Instant, accepted: bool) -> Entry {
        Entry {
            conn,
            generation: 0,
            active: now,
            msg_start: None,
            stall: None,
            timer: None,
            accepted,
            paused: false,
            writable: false,
            dirty: false,
            closing: false,
            owner_call: None,
            indexed: false,
            unheard: !accepted,
            waiting: SmallVec::new(),
        }
    }
}

/// The connections of one shard.
#[derive(Default)]
pub(crate) struct ConnTable {
    entries: Slab<Entry>,
    generation: u16,
    outbound: HashMap<(Transport, SocketAddr), usize>,
    per_source: HashMap<IpAddr, u32>,
}

impl ConnTable {
    pub(crate) fn insert(&mut self, mut e: Entry) -> usize {
        self.generation = self.generation.wrapping_add(1);
        e.generation = self.generation;
        if e.accepted {
            *self.per_source.entry(e.conn.peer.ip()).or_default() += 1;
        }
        self.entries.insert(e)
    }

    pub(crate) fn get_mut(&mut self, slot: usize) -> Option<&mut Entry> {
        self.entries.get_mut(slot)
    }

    pub(crate) fn get(&self, slot: usize) -> Option<&Entry> {
        self.entries.get(slot)
    }

    /// The slot of the connection `id` names, if it is still open.
    pub(crate) fn live(&self, id: ConnId) -> Option<usize> {
        let slot = id.slot as usize;
        self.entries.get(slot).filter(|e| e.generation == id.generation && !e.closing).map(|_| slot)
    }

    /// The name of the connection in `slot` on shard `shard`.
    pub(crate) fn id(&self, shard: u16, slot: usize) -> Option<ConnId> {
        self.entries.get(slot).map(|e| ConnId { shard, generation: e.generation, slot: slot as u32 })
    }

    /// A connection we opened to `addr` over `t` that is still open.
    pub(crate) fn outbound(&self, t: Transport, addr: SocketAddr) -> Option<usize> {
        self.outbound.get(&(t, addr)).copied().filter(|&s| self.entries.get(s).is_some_and(|e| !e.closing))
    }

    /// Makes `slot` the connection for later messages to its peer.
    pub(crate) fn index(&mut self, slot: usize) {
        if let Some(e) = self.entries.get_mut(slot) {
            e.indexed = true;
            self.outbound.insert((e.conn.transport, e.conn.peer), slot);
        }
    }

    pub(crate) fn remove(&mut self, slot: usize) -> Option<Entry> {
        let e = self.entries.try_remove(slot)?;
        let key = (e.conn.transport, e.conn.peer);
        if e.indexed && self.outbound.get(&key) == Some(&slot) {
            self.outbound.remove(&key);
        }
        if e.accepted {
            let ip = e.conn.peer.ip();
            if let Some(n) = self.per_source.get_mut(&ip) {
                *n -= 1;
                if *n == 0 {
                    self.per_source.remove(&ip);
                }
            }
        }
        Some(e)
    }

    /// Connections accepted from `ip` now.
    pub(crate) fn accepted_from(&self, ip: IpAddr) -> u32 {
        self.per_source.get(&ip).copied().unwrap_or(0)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Gives back the room a crowd of connections left behind (after a
    /// flood of idle ones, say), keeping the slots still in use.
    pub(crate) fn shrink(&mut self) {
        self.entries.shrink_to_fit();
        self.outbound.shrink_to_fit();
        self.per_source.shrink_to_fit();
    }

    pub(crate) fn slots(&self) -> Vec<usize> {
        self.entries.iter().map(|(s, _)| s).collect()
    }
}
