//! Admission of new work. Per source: a token bucket for new out-of-dialog
//! requests and a cap on one source's live calls (off unless configured;
//! each shard holds its share). Over the engine: the call and server
//! transaction limits (`SharedLimits`). Per shard: shutdown and the
//! runtime's overload signal. ACK, CANCEL, retransmissions and in-dialog
//! requests never pass through them.

mod shared;
mod slot_pool;
mod source_limit;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

pub use shared::SharedLimits;
pub use source_limit::{LimitAction, SourceLimit};

use crate::core::{CoreConfig, CoreStats, ShardCore};
use source_limit::SourceBuckets;

/// The shard's admission state.
#[derive(Debug)]
pub(crate) struct Admission {
    /// The engine's call and transaction limits, and this shard's place.
    limits: SharedLimits,
    shard: usize,
    sources: SourceBuckets,
    calls_by_source: HashMap<IpAddr, u32, ahash::RandomState>,
    /// A drain or shutdown began: no new calls, OPTIONS answered 503.
    pub(crate) stopping: bool,
    /// The runtime's overload signal.
    overloaded: bool,
}

impl Admission {
    /// The admission state of the core configured by `cfg`: its own
    /// limits unless it shares them (`CoreConfig::shared_limits`).
    pub(crate) fn new(cfg: &CoreConfig) -> Admission {
        let limits = cfg
            .shared_limits
            .clone()
            .unwrap_or_else(|| SharedLimits::new(cfg.max_calls, cfg.max_transactions, 1));
        Admission {
            limits,
            shard: usize::from(cfg.shard),
            sources: SourceBuckets::default(),
            calls_by_source: HashMap::default(),
            stopping: false,
            overloaded: false,
        }
    }

    /// Whether a new out-of-dialog request from `from` is within its
    /// source's limit (always, when no limit is configured).
    pub(crate) fn admit_request(&mut self, cfg: &CoreConfig, from: SocketAddr, now: Instant) -> bool {
        match &cfg.source_limit {
            Some(limit) => self.sources.admit(limit, from.ip(), now),
            None => true,
        }
    }

    /// Takes `tokens` more from `from`'s bucket (a failed
    /// authentication), when a source limit is configured.
    pub(crate) fn penalize(&mut self, cfg: &CoreConfig, from: SocketAddr, now: Instant, tokens: u32) {
        if let Some(limit) = &cfg.source_limit {
            self.sources.take(limit, from.ip(), now, tokens);
        }
    }

    /// Whether a new call from `from` may start; else the reason phrase
    /// of the 503, the refusal counted by cause. An admitted call holds a
    /// slot of the call limit until `call_slot_freed`.
    pub(crate) fn admit_call(
        &self,
        cfg: &CoreConfig,
        from: SocketAddr,
        stats: &mut CoreStats,
    ) -> Result<(), &'static str> {
        let source_full = cfg
            .max_calls_per_source
            .is_some_and(|cap| self.calls_by_source.get(&from.ip()).is_some_and(|&n| n >= cap));
        if self.stopping {
            stats.overload_rejected += 1;
            return Err("Service Unavailable - Shutting Down");
        }
        if self.overloaded {
            stats.overload_rejected += 1;
            stats.overload_by_delay += 1;
            return Err("Service Unavailable - Overloaded");
        }
        if source_full {
            stats.source_limited += 1;
            return Err("Service Unavailable - Source Call Limit");
        }
        if !self.take_call_slot() {
            stats.overload_rejected += 1;
            return Err("Service Unavailable - Call Limit");
        }
        Ok(())
    }

    /// A slot of the call limit for a call; false at the limit.
    pub(crate) fn take_call_slot(&self) -> bool {
        self.limits.calls.try_take(self.shard)
    }

    /// A call ended, or was refused after it took its slot.
    pub(crate) fn call_slot_freed(&self) {
        self.limits.calls.put_back(self.shard);
    }

    /// Whether the server transaction limit leaves room for a new
    /// out-of-dialog request.
    pub(crate) fn transaction_room(&self) -> bool {
        self.limits.transactions.has_room()
    }

    /// A server transaction began (counted even beyond the limit: those
    /// of existing calls are never refused).
    pub(crate) fn transaction_started(&self) {
        self.limits.transactions.take(self.shard);
    }

    /// A server transaction ended.
    pub(crate) fn transaction_ended(&self) {
        self.limits.transactions.put_back(self.shard);
    }

    /// A call of `from` started; kept only under a cap.
    pub(crate) fn call_started(&mut self, cfg: &CoreConfig, from: SocketAddr) {
        if cfg.max_calls_per_source.is_some() {
            *self.calls_by_source.entry(from.ip()).or_insert(0) += 1;
        }
    }

    /// A call of `from` ended.
    pub(crate) fn call_ended(&mut self, cfg: &CoreConfig, from: SocketAddr) {
        if cfg.max_calls_per_source.is_none() {
            return;
        }
        let n = self.calls_by_source.entry(from.ip()).or_insert(0);
        *n = n.saturating_sub(1);
        if *n == 0 {
            self.calls_by_source.remove(&from.ip());
        }
    }
}

impl ShardCore {
    /// Refuse new calls from now on (503 with Retry-After) and answer
    /// out-of-dialog OPTIONS with 503, so that a load balancer's probe
    /// tells an instance going away from a busy one; the calls up go on.
    pub fn drain(&mut self) {
        self.admission.stopping = true;
    }

    /// The runtime's overload signal (its inbox delay over threshold):
    /// while set, new INVITEs get 503 with Retry-After; requests of
    /// existing calls are served as usual.
    pub fn set_overloaded(&mut self, on: bool) {
        self.admission.overloaded = on;
    }
}
