//! What other threads hold of a shard: its hand-off inbox (lock-free,
//! bounded), its media event queue and its waker.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;
use crossbeam::queue::{ArrayQueue, SegQueue};
use mio::{Poll, Token, Waker};
use parking_lot::Mutex;

pub(crate) const WAKER: Token = Token(1);
/// Application commands a shard holds before `send` reports overload.
const CONTROL_CAPACITY: usize = 16_384;

/// A datagram handed over from the shard that received it.
pub(crate) struct Handoff {
    pub(crate) from: SocketAddr,
    pub(crate) data: Bytes,
    /// When it entered the inbox: the owner measures its queueing delay.
    pub(crate) queued: Instant,
}

/// What other threads hold of a shard: its inbox and its waker.
pub(crate) struct Peer {
    pub(crate) inbox: ArrayQueue<Handoff>,
    /// Timeouts and closes from the media threads.
    pub(crate) media_events: SegQueue<crate::media::MediaEvent>,
    /// Commands from application threads.
    pub(crate) controls: ArrayQueue<super::control::Control>,
    waker: Waker,
    pub(crate) deadline: Mutex<Option<Instant>>,
}

impl Peer {
    pub(crate) fn new(poll: &Poll, capacity: usize) -> std::io::Result<Peer> {
        let waker = Waker::new(poll.registry(), WAKER)?;
        Ok(Peer {
            inbox: ArrayQueue::new(capacity.max(16)),
            media_events: SegQueue::new(),
            controls: ArrayQueue::new(CONTROL_CAPACITY),
            waker,
            deadline: Mutex::new(None),
        })
    }

    pub(crate) fn wake(&self) {
        let _ = self.waker.wake();
    }

    pub(crate) fn set_deadline(&self, at: Instant) {
        *self.deadline.lock() = Some(at);
    }
}
