//! A shard's mailbox: what other threads hold of it — its hand-off inbox
//! (lock-free, bounded), messages for connections it owns, send failures
//! of its calls, its media event queue, its command queue, its waker,
//! whether it is parked and whether it still takes commands.
//!
//! Waking is a system call (an eventfd write), so the hot paths (hand-offs,
//! commands, writes for connections) wake the shard only when it is parked:
//! the shard raises `parked`, looks at its queues once more, and only then
//! sleeps in its poll; a producer pushes, then takes `parked` down and
//! writes the eventfd only if it was up. A fence on each side orders the
//! flag against the queues, so a push is either seen by the shard's last
//! look or sees the flag.

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
    /// The shard is (about to be) asleep in its poll.
    parked: AtomicBool,
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
            parked: AtomicBool::new(false),
            closed: AtomicBool::new(false),
        })
    }

    /// Wakes the shard whatever it is doing (cold paths: stop, media
    /// events, failures).
    pub(crate) fn wake(&self) {
        let _ = self.waker.wake();
    }

    /// Wakes the shard only if it is parked; call after the push.
    pub(crate) fn wake_if_parked(&self) {
        fence(Ordering::SeqCst);
        if self.parked.load(Ordering::Relaxed) && self.parked.swap(false, Ordering::AcqRel) {
            let _ = self.waker.wake();
        }
    }

    /// The shard is about to sleep: raises the flag and returns whether it
    /// may (nothing is queued for it). When it may not, the flag is down.
    pub(crate) fn park(&self) -> bool {
        self.parked.store(true, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        let idle = self.inbox.is_empty()
            && self.writes.is_empty()
            && self.send_failures.is_empty()
            && self.media_events.is_empty()
            && self.commands.is_empty();
        if !idle {
            self.parked.store(false, Ordering::Relaxed);
        }
        idle
    }

    /// The shard is awake again: producers need not wake it.
    pub(crate) fn unpark(&self) {
        self.parked.store(false, Ordering::Relaxed);
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use mio::Events;

    use super::*;

    fn woken(poll: &mut Poll) -> bool {
        let mut events = Events::with_capacity(4);
        poll.poll(&mut events, Some(Duration::ZERO)).unwrap();
        events.iter().any(|e| e.token() == WAKER)
    }

    fn handoff() -> Handoff {
        let from = Peer::udp("127.0.0.1:5060".parse().unwrap());
        Handoff { from, data: Bytes::from_static(b"x"), queued: Instant::now() }
    }

    #[test]
    fn a_shard_awake_is_not_woken_a_parked_one_is_once() {
        let mut poll = Poll::new().unwrap();
        let m = ShardMailbox::new(&poll, 16).unwrap();
        // Awake: the push is seen by the shard's next look, no eventfd write.
        assert!(m.inbox.push(handoff()).is_ok());
        m.wake_if_parked();
        assert!(!woken(&mut poll));
        // Something queued: the shard may not park.
        assert!(!m.park());
        assert!(m.inbox.pop().is_some());
        // Parked with nothing queued: the next push wakes it, once.
        assert!(m.park());
        assert!(m.inbox.push(handoff()).is_ok());
        m.wake_if_parked();
        m.wake_if_parked();
        assert!(woken(&mut poll));
        assert!(!woken(&mut poll));
        // Awake again after its poll: no more writes.
        m.unpark();
        m.wake_if_parked();
        assert!(!woken(&mut poll));
    }
}
