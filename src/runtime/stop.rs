//! The runtime's graceful stop: asked for by `Runtime::shutdown` (or a
//! drop), shared by the shards as `Stop` — whether new calls are refused
//! already (a drain), when the stop was asked for, its deadline, and how
//! many shards still hold calls of their own. Every
//! shard keeps receiving and handing datagrams on until all of them are
//! done (or the deadline passes): the answer to one shard's BYE may land
//! on another's socket. Media stops last, after the calls' reports.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use super::{Runtime, ShardReport};

/// How long dropping a running [`Runtime`] (or `Engine`) waits for its
/// calls to end after their BYEs before it ends the rest.
pub const DROP_GRACE: Duration = Duration::from_secs(1);

/// The stop as the shards see it.
#[derive(Debug)]
pub(crate) struct Stop {
    /// New calls are refused; the calls up go on (`Runtime::drain`).
    draining: AtomicBool,
    requested: AtomicBool,
    deadline: Mutex<Option<Instant>>,
    /// Shards that have not yet ended all their calls.
    busy: AtomicUsize,
}

impl Stop {
    pub(crate) fn new(shards: usize) -> Stop {
        Stop {
            draining: AtomicBool::new(false),
            requested: AtomicBool::new(false),
            deadline: Mutex::new(None),
            busy: AtomicUsize::new(shards),
        }
    }

    /// Asks the shards to refuse new calls and keep the calls up.
    pub(crate) fn drain(&self) {
        self.draining.store(true, Ordering::Release);
    }

    pub(crate) fn draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }

    /// Asks for the stop: calls still up at `deadline` are ended at once.
    pub(crate) fn request(&self, deadline: Instant) {
        *self.deadline.lock() = Some(deadline);
        self.requested.store(true, Ordering::Release);
    }

    pub(crate) fn requested(&self) -> bool {
        self.requested.load(Ordering::Acquire)
    }

    pub(crate) fn deadline(&self) -> Option<Instant> {
        *self.deadline.lock()
    }

    /// A shard has ended all its calls (once per shard): true when it
    /// was the last.
    pub(crate) fn shard_done(&self) -> bool {
        self.busy.fetch_sub(1, Ordering::AcqRel) == 1
    }

    /// Every shard has ended its calls.
    pub(crate) fn all_done(&self) -> bool {
        self.busy.load(Ordering::Acquire) == 0
    }
}

impl Runtime {
    /// The first half of a graceful stop: new calls get 503 with
    /// Retry-After and out-of-dialog OPTIONS 503 (a load balancer's probe
    /// sees the instance going away), while the calls up go on as usual
    /// until they end or `shutdown` ends them.
    pub fn drain(&self) {
        self.stop.drain();
        for p in self.mailboxes.iter() {
            p.wake();
        }
    }

    /// Graceful stop: new calls get 503, active ones a BYE (ours not yet
    /// answered a CANCEL); every shard keeps receiving until all calls
    /// have ended or `deadline` has passed, when the rest are ended as
    /// `Shutdown`. Media stops after the calls' last reports. Commands
    /// from then on fail at once with `Stopped`. Returns the merged
    /// report and each shard's (the same again after a stop).
    pub fn shutdown(&mut self, deadline: Duration) -> (ShardReport, Vec<ShardReport>) {
        if !self.threads.is_empty() {
            self.stop.request(Instant::now() + deadline);
            for p in self.mailboxes.iter() {
                p.wake();
            }
            for t in self.threads.drain(..) {
                let _ = t.join();
            }
        }
        let media = self.media.as_ref().map(|m| {
            m.stop();
            (m.totals(), m.echo_latency())
        });
        let shards: Vec<ShardReport> = self.reports.iter().map(|r| r.lock().clone()).collect();
        let mut total = ShardReport::new(usize::MAX);
        for r in &shards {
            total.merge(r);
        }
        if let Some((totals, echo)) = media {
            (total.media, total.media_echo_ns) = (totals, echo);
        }
        (total, shards)
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if !self.threads.is_empty() {
            self.shutdown(DROP_GRACE);
        }
    }
}
