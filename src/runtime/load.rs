//! A load generator's pacing, on the client side of the core: each shard
//! places its share of a plan at a steady rate through `on_command`,
//! capped in number and in concurrency, with a percentage cancelled when
//! they ring. The core only tells how many of its placed calls are up.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::core::{Command, CommandError, Outbox, OutgoingCall, ShardCore};

/// A stalled generator catches up at most this much: no bursts beyond
/// what the rate allows.
const MAX_DEBT: Duration = Duration::from_millis(10);

/// What to place, how fast and how many.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadPlan {
    /// The call to place (each gets its own Call-ID, tag and branch).
    pub call: OutgoingCall,
    /// New calls per second.
    pub rate: f64,
    /// Calls to place in all.
    pub max_calls: u64,
    /// Most calls alive at once.
    pub concurrency: u64,
    /// Percentage of calls cancelled when they ring (180/183).
    pub cancel_percent: u8,
}

impl LoadPlan {
    /// Shard `shard`'s share when `shards` shards place the plan: rate,
    /// count and concurrency split as evenly as whole numbers allow.
    pub fn share(&self, shard: usize, shards: usize) -> LoadPlan {
        let n = shards.max(1) as u64;
        let split = |total: u64| total / n + u64::from((shard as u64) < total % n);
        LoadPlan {
            rate: self.rate / n as f64,
            max_calls: split(self.max_calls),
            concurrency: split(self.concurrency).max(1),
            ..self.clone()
        }
    }
}

/// One shard's progress through its share of a plan.
#[derive(Debug)]
pub struct LoadPacer {
    /// The call as placed, and the same cancelled when it rings.
    calls: [Arc<OutgoingCall>; 2],
    interval: Duration,
    max_calls: u64,
    concurrency: u64,
    cancel_percent: u8,
    next_at: Instant,
    wake_at: Option<Instant>,
    placed: u64,
    credit: u32,
}

impl LoadPacer {
    /// Paces `plan` from `start`.
    pub fn new(plan: LoadPlan, start: Instant) -> LoadPacer {
        let cancelled = OutgoingCall { cancel_when_ringing: true, ..plan.call.clone() };
        LoadPacer {
            calls: [Arc::new(plan.call), Arc::new(cancelled)],
            interval: Duration::from_secs_f64(1.0 / plan.rate.max(1e-3)),
            max_calls: plan.max_calls,
            concurrency: plan.concurrency,
            cancel_percent: plan.cancel_percent.min(100),
            next_at: start,
            wake_at: Some(start),
            placed: 0,
            credit: 0,
        }
    }

    /// Places every call due at `now` that the concurrency allows.
    pub fn place_due(&mut self, now: Instant, core: &mut ShardCore, out: &mut Outbox) {
        if self.wake_at.is_none_or(|at| at > now) {
            return;
        }
        self.next_at = self.next_at.max(now.checked_sub(MAX_DEBT).unwrap_or(now));
        while self.placed < self.max_calls
            && core.placed_calls_live() < self.concurrency
            && self.next_at <= now
        {
            self.credit += u32::from(self.cancel_percent);
            let cancel = self.credit >= 100;
            if cancel {
                self.credit -= 100;
            }
            let call = self.calls[usize::from(cancel)].clone();
            match core.on_command(now, Command::Place(call), out) {
                Ok(_) => {}
                Err(CommandError::Overloaded) => break, // the call limit: try next tick
                Err(_) => self.placed = self.max_calls, // stopped, or a plan that cannot work
            }
            self.placed += 1;
            self.next_at += self.interval;
        }
        self.wake_at =
            (self.placed < self.max_calls).then(|| self.next_at.max(now + Duration::from_millis(1)));
    }

    /// Client transactions of each kind this share leaves lingering for
    /// `linger` at its rate (at most its calls): what to size the tables for.
    pub fn lingering_transactions(&self, linger: Duration) -> usize {
        crate::core::lingering_at(1.0 / self.interval.as_secs_f64(), linger, self.max_calls)
    }

    /// When `place_due` has work next (None: every call is placed).
    pub fn wake_at(&self) -> Option<Instant> {
        self.wake_at
    }

    /// Calls placed (or given up) so far.
    pub fn placed(&self) -> u64 {
        self.placed
    }
}
