//! Calls a shard places by itself at a steady rate (its share of a load
//! generator's plan): paced by the timer wheel, capped in number and in
//! concurrency, with a percentage cancelled when they ring.

use std::time::{Duration, Instant};

use super::uac_leg::{CancelState, OutgoingCall};
use super::{CommandError, CoreTimer, Outbox, ShardCore};

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

/// The generator's progress on one shard.
#[derive(Debug)]
pub(crate) struct LoadState {
    plan: LoadPlan,
    next_at: Instant,
    placed: u64,
    live: u64,
    credit: u32,
}

impl LoadState {
    pub(crate) fn new(plan: LoadPlan, start: Instant) -> LoadState {
        LoadState { plan, next_at: start, placed: 0, live: 0, credit: 0 }
    }
}

impl ShardCore {
    /// The generator's timer: place every call that is due.
    pub(crate) fn on_load_timer(&mut self, now: Instant, out: &mut Outbox) {
        let Some(mut l) = self.load.take() else { return };
        let interval = Duration::from_secs_f64(1.0 / l.plan.rate.max(1e-3));
        l.next_at = l.next_at.max(now.checked_sub(MAX_DEBT).unwrap_or(now));
        while l.placed < l.plan.max_calls && l.live < l.plan.concurrency && l.next_at <= now {
            l.credit += u32::from(l.plan.cancel_percent.min(100));
            let cancel = if l.credit >= 100 {
                l.credit -= 100;
                CancelState::OnRinging
            } else {
                CancelState::No
            };
            match self.place(now, &l.plan.call, cancel, out) {
                Ok(slot) => {
                    if let Some(leg) = self.calls.get_mut(slot).and_then(|c| c.uac.as_mut()) {
                        leg.from_load = true;
                    }
                    l.live += 1;
                }
                Err(CommandError::Overloaded) => break, // the call limit: try next tick
                Err(_) => l.placed = l.plan.max_calls,  // stopped, or a plan that cannot work
            }
            l.placed += 1;
            l.next_at += interval;
        }
        if l.placed < l.plan.max_calls {
            let at = l.next_at.max(now + Duration::from_millis(1));
            self.wheel.insert(at, CoreTimer::Load);
        }
        self.load = Some(l);
    }

    /// Whether this shard places calls by itself (a load plan).
    pub fn places_calls(&self) -> bool {
        self.cfg.load.is_some()
    }

    /// A generated call ended: room for the next.
    pub(crate) fn load_ended(&mut self) {
        if let Some(l) = &mut self.load {
            l.live = l.live.saturating_sub(1);
        }
    }
}
