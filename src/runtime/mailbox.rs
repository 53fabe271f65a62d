//! A shard's mailbox: what other threads hold of it — its hand-off inbox
//! (lock-free, bounded), messages for connections it owns, send failures
//! of its calls, its media event queue, its command queue, its waker, and
//! whether it still takes commands.

use std::sync::atomic::{AtomicBool, Ordering, fence};
use std::time::Instant;

use bytes::Bytes;
use crossbeam::queue::{ArrayQueue, SegQueue};
use mio::{Poll, Token, Waker};

use super::commands::Reply;
use crate::core::{CallHandle, Command, Transmit};
use crate::txn::Peer;

pub(crate) const WAKER: Token = Token(1);
/// Application commands a shard holds before `send` reports overload.
const COMMAND_CAPACITY: usize = 16_384;

/// A message handed over from the shard that received it (over a
/// stream, naming the connection it came on).
pub(crate) struct Handoff {
    pub(crate) from: Peer,
    pub(crate) data: Bytes,
    /// When it entered the inbox: the owner measures its queueing delay.
    pub(crate) queued: Instant,
}

/// What other threads hold of a shard.
pub(crate) struct ShardMailbox {
    pub(crate) inbox: ArrayQueue<Handoff>,
    /// Messages other shards' calls send on connections this shard owns.
    pub(crate) writes: ArrayQueue<Transmit>,
    /// This shard's calls whose messages another shard could not send.
    pub(crate) send_failures: SegQueue<(CallHandle, String)>,
    /// Timeouts and closes from the media threads.
    pub(crate) media_events: SegQueue<crate::media::MediaEvent>,
    /// Commands, each with whoever waits for its outcome.
    pub(crate) commands: ArrayQueue<(Command, Reply)>,
    waker: Waker,
    /// The shard has stopped: commands are refused (`Stopped`).
    closed: AtomicBool,
}

impl ShardMailbox {
    pub(crate) fn new(poll: &Poll, capacity: usize) -> std::io::Result<ShardMailbox> {
        let waker = Waker::new(poll.registry(), WAKER)?;
        Ok(ShardMailbox {
            inbox: ArrayQueue::new(capacity.max(16)),
            writes: ArrayQueue::new(capacity.max(16)),
            send_failures: SegQueue::new(),
            media_events: SegQueue::new(),
            commands: ArrayQueue::new(COMMAND_CAPACITY),
            waker,
            closed: AtomicBool::new(false),
        })
    }

    pub(crate) fn wake(&self) {
        let _ = self.waker.wake();
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// The shard stops for good: what is queued and whatever comes later
    /// is answered `Stopped`.
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        super::commands::refuse_queued(self);
    }
}
