//! The application's event channel: bounded, never blocking a shard (a
//! full channel drops and counts), read by blocking calls, an iterator
//! or — with the `async` feature — as a `futures_core::Stream`. Async
//! readers park a waker that the shards wake after each send (only when
//! one waits); no runtime is assumed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering, fence};
use std::sync::mpsc::{RecvTimeoutError, TryRecvError};
use std::task::Waker;
use std::time::{Duration, Instant};

use crossbeam::channel::{Receiver, Sender, TrySendError, bounded};
use parking_lot::Mutex;

use crate::core::Event;

/// Wakers of async readers waiting for an event.
#[derive(Debug, Default)]
struct Readers {
    waiting: AtomicBool,
    wakers: Mutex<Vec<Waker>>,
}

impl Readers {
    /// Parks `w` until the next send (or the end of the channel).
    #[cfg_attr(not(feature = "async"), allow(dead_code))]
    fn park(&self, w: &Waker) {
        let mut wakers = self.wakers.lock();
        if !wakers.iter().any(|x| x.will_wake(w)) {
            wakers.push(w.clone());
        }
        self.waiting.store(true, Ordering::SeqCst);
        fence(Ordering::SeqCst);
    }

    /// Wakes every parked reader (cheap when none waits).
    fn wake(&self) {
        fence(Ordering::SeqCst);
        if self.waiting.load(Ordering::SeqCst) {
            let wakers = std::mem::take(&mut *self.wakers.lock());
            self.waiting.store(false, Ordering::SeqCst);
            wakers.into_iter().for_each(Waker::wake);
        }
    }
}

/// A shard's end of the event channel.
#[derive(Debug, Clone)]
pub struct EventSender {
    tx: Sender<Event>,
    readers: Arc<Readers>,
}

impl EventSender {
    /// Queues `ev` unless the channel is full (or nobody reads any more):
    /// false then, and the event is gone.
    pub(crate) fn try_send(&self, ev: Event) -> bool {
        let sent = match self.tx.try_send(ev) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
        };
        if sent {
            self.readers.wake();
        }
        sent
    }
}

impl Drop for EventSender {
    /// The last sender gone ends the stream: waiting readers must look
    /// again. Our half goes first, then they are woken (a reader woken
    /// while other senders live simply waits again).
    fn drop(&mut self) {
        let (tx, _) = bounded(0);
        drop(std::mem::replace(&mut self.tx, tx));
        self.readers.wake();
    }
}

/// A bounded event channel holding `capacity` events.
pub fn event_channel(capacity: usize) -> (EventSender, Events) {
    let (tx, rx) = bounded(capacity);
    let readers = Arc::new(Readers::default());
    (EventSender { tx, readers: readers.clone() }, Events { rx, readers })
}

/// The engine's event stream ([`crate::Engine::events`]). Clones share
/// one stream: each event goes to one reader. It ends (`recv` gives
/// `None`, iteration stops) once the engine has stopped and every event
/// queued before was read.
///
/// ```no_run
/// use std::time::Duration;
/// use sipbench::{Engine, EventKind};
///
/// fn print_call_ends(engine: &Engine) {
///     let events = engine.events();
///     while let Ok(event) = events.recv_timeout(Duration::from_secs(1)) {
///         if let EventKind::Terminated { reason, .. } = event.kind {
///             println!("{} ({}) ended: {reason:?}", event.call, event.info.call_id);
///         }
///     }
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Events {
    rx: Receiver<Event>,
    #[cfg_attr(not(feature = "async"), allow(dead_code))]
    readers: Arc<Readers>,
}

impl Events {
    /// The next event, waiting for it; `None` once the engine has stopped
    /// and the stream is drained.
    pub fn recv(&self) -> Option<Event> {
        self.rx.recv().ok()
    }

    /// The next event, waiting at most `limit`.
    pub fn recv_timeout(&self, limit: Duration) -> Result<Event, RecvTimeoutError> {
        self.rx.recv_timeout(limit).map_err(|e| match e {
            crossbeam::channel::RecvTimeoutError::Timeout => RecvTimeoutError::Timeout,
            crossbeam::channel::RecvTimeoutError::Disconnected => RecvTimeoutError::Disconnected,
        })
    }

    /// The next event, waiting until `deadline` at most.
    pub fn recv_deadline(&self, deadline: Instant) -> Result<Event, RecvTimeoutError> {
        self.recv_timeout(deadline.saturating_duration_since(Instant::now()))
    }

    /// The next event if one is queued.
    pub fn try_recv(&self) -> Result<Event, TryRecvError> {
        self.rx.try_recv().map_err(|e| match e {
            crossbeam::channel::TryRecvError::Empty => TryRecvError::Empty,
            crossbeam::channel::TryRecvError::Disconnected => TryRecvError::Disconnected,
        })
    }

    /// Events as they come, until the engine has stopped.
    pub fn iter(&self) -> impl Iterator<Item = Event> + '_ {
        self.rx.iter()
    }

    /// The events queued now, without waiting.
    pub fn try_iter(&self) -> impl Iterator<Item = Event> + '_ {
        self.rx.try_iter()
    }

    /// Events queued now.
    pub fn len(&self) -> usize {
        self.rx.len()
    }

    /// Nothing queued now.
    pub fn is_empty(&self) -> bool {
        self.rx.is_empty()
    }
}

#[cfg(feature = "async")]
impl futures_core::Stream for Events {
    type Item = Event;

    /// The next event: ready at once when one is queued, else the task
    /// is woken by the next send (or the engine's stop, which ends the
    /// stream with `None`).
    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Event>> {
        use std::task::Poll;
        let read = |rx: &Receiver<Event>| match rx.try_recv() {
            Ok(e) => Some(Poll::Ready(Some(e))),
            Err(crossbeam::channel::TryRecvError::Disconnected) => Some(Poll::Ready(None)),
            Err(crossbeam::channel::TryRecvError::Empty) => None,
        };
        if let Some(p) = read(&self.rx) {
            return p;
        }
        self.readers.park(cx.waker());
        // Again after parking: an event sent meanwhile woke nobody.
        read(&self.rx).unwrap_or(Poll::Pending)
    }
}
