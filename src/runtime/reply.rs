//! A one-shot reply channel for a command's outcome: the shard sends
//! once; the application waits on a thread (with or without a limit) or
//! polls it as a future (any async runtime: a parked waker is woken). A
//! sender dropped unsent (its shard stopped) ends the wait at once.

use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

#[derive(Debug)]
enum State<T> {
    /// No outcome yet; the async reader's waker, if one waits.
    Waiting(Option<Waker>),
    Sent(T),
    /// The sender went away without an outcome.
    Dropped,
    /// The outcome was taken.
    Taken,
}

#[derive(Debug)]
struct Slot<T> {
    state: Mutex<State<T>>,
    ready: Condvar,
}

/// Why a wait for a reply ended without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReplyError {
    /// Nothing within the limit (the reply may still come: it is lost).
    Timeout,
    /// The sender went away: nobody will answer.
    Dropped,
}

/// The shard's end: sends the outcome once.
#[derive(Debug)]
pub struct ReplyTx<T>(Arc<Slot<T>>);

/// The application's end: waits for the outcome.
#[derive(Debug)]
pub struct ReplyRx<T>(Arc<Slot<T>>);

/// A new reply channel.
pub fn reply_channel<T>() -> (ReplyTx<T>, ReplyRx<T>) {
    let slot = Arc::new(Slot { state: Mutex::new(State::Waiting(None)), ready: Condvar::new() });
    (ReplyTx(slot.clone()), ReplyRx(slot))
}

impl<T> ReplyTx<T> {
    /// Sends the outcome (a reader that gave up is no error).
    pub fn send(self, value: T) {
        self.finish(State::Sent(value));
    }

    /// Ends the wait with `end`, once: a later end (the drop after a
    /// send) changes nothing.
    fn finish(&self, end: State<T>) {
        let mut state = self.0.state.lock();
        if !matches!(*state, State::Waiting(_)) {
            return;
        }
        if let State::Waiting(waker) = std::mem::replace(&mut *state, end) {
            drop(state);
            self.0.ready.notify_all();
            if let Some(w) = waker {
                w.wake();
            }
        }
    }
}

impl<T> Drop for ReplyTx<T> {
    fn drop(&mut self) {
        self.finish(State::Dropped);
    }
}

impl<T> ReplyRx<T> {
    /// Waits for the outcome.
    pub fn wait(self) -> Result<T, ReplyError> {
        self.wait_until(None)
    }

    /// Waits at most `limit` for the outcome.
    pub fn wait_timeout(self, limit: Duration) -> Result<T, ReplyError> {
        self.wait_until(Instant::now().checked_add(limit))
    }

    fn wait_until(self, deadline: Option<Instant>) -> Result<T, ReplyError> {
        let mut state = self.0.state.lock();
        loop {
            match std::mem::replace(&mut *state, State::Taken) {
                State::Sent(v) => return Ok(v),
                State::Dropped | State::Taken => return Err(ReplyError::Dropped),
                waiting @ State::Waiting(_) => *state = waiting,
            }
            match deadline {
                Some(d) => {
                    if self.0.ready.wait_until(&mut state, d).timed_out()
                        && matches!(*state, State::Waiting(_))
                    {
                        return Err(ReplyError::Timeout);
                    }
                }
                None => self.0.ready.wait(&mut state),
            }
        }
    }

    /// Polls for the outcome, parking the task's waker until it comes.
    pub fn poll_reply(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, ReplyError>> {
        let mut state = self.0.state.lock();
        match std::mem::replace(&mut *state, State::Taken) {
            State::Sent(v) => Poll::Ready(Ok(v)),
            State::Dropped | State::Taken => Poll::Ready(Err(ReplyError::Dropped)),
            State::Waiting(_) => {
                *state = State::Waiting(Some(cx.waker().clone()));
                Poll::Pending
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sent_dropped_and_timed_out() {
        let (tx, rx) = reply_channel();
        tx.send(7);
        assert_eq!(rx.wait(), Ok(7));
        let (tx, rx) = reply_channel::<u8>();
        drop(tx);
        assert_eq!(rx.wait(), Err(ReplyError::Dropped));
        let (_tx, rx) = reply_channel::<u8>();
        assert_eq!(rx.wait_timeout(Duration::from_millis(10)), Err(ReplyError::Timeout));
        let (tx, rx) = reply_channel();
        let t = std::thread::spawn(move || rx.wait_timeout(Duration::from_secs(5)));
        std::thread::sleep(Duration::from_millis(20));
        tx.send("late");
        assert_eq!(t.join().unwrap(), Ok("late"));
    }

    #[test]
    fn a_polled_reply_wakes_its_task() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::task::Wake;
        struct Count(AtomicUsize);
        impl Wake for Count {
            fn wake(self: Arc<Self>) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let mut cx = Context::from_waker(&waker);
        let (tx, mut rx) = reply_channel();
        assert!(rx.poll_reply(&mut cx).is_pending());
        tx.send(1);
        assert_eq!(count.0.load(Ordering::SeqCst), 1);
        assert_eq!(rx.poll_reply(&mut cx), Poll::Ready(Ok(1)));
        let (tx, mut rx) = reply_channel::<u8>();
        assert!(rx.poll_reply(&mut cx).is_pending());
        drop(tx);
        assert_eq!(count.0.load(Ordering::SeqCst), 2);
        assert_eq!(rx.poll_reply(&mut cx), Poll::Ready(Err(ReplyError::Dropped)));
    }
}
