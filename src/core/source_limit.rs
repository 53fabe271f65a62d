//! Admission of new work. Per source: a token bucket per source IP
//! address for new INVITEs and other out-of-dialog requests, and a cap on
//! one source's live calls, so one noisy peer cannot take every call slot
//! (off unless configured). Per shard: the call limit, shutdown and the
//! runtime's overload signal. ACK, CANCEL, retransmissions and in-dialog
//! requests never pass through them.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

/// What happens to a request over its source's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitAction {
    /// 503 Service Unavailable with Retry-After (RFC 3261 §21.5.4).
    Reject,
    /// Silence, counted: the peer's retransmissions find nothing either.
    Drop,
}

/// The limit for one source address, per shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceLimit {
    /// Sustained new requests per second.
    pub rate: u32,
    /// Requests allowed at once after a quiet spell.
    pub burst: u32,
    /// Reject or drop what is over the limit.
    pub action: LimitAction,
}

/// Sources tracked at most; a flood of spoofed addresses can fill the
/// table, so idle entries are swept and, when it is still full, a new
/// source is admitted untracked rather than turned away.
const MAX_SOURCES: usize = 65_536;

/// Token buckets in thousandths of a request, refilled on use.
#[derive(Debug, Default)]
pub(crate) struct SourceBuckets {
    buckets: HashMap<IpAddr, (u64, Instant), ahash::RandomState>,
}

impl SourceBuckets {
    /// Takes one token for `ip`; false when the source is over its limit.
    pub(crate) fn admit(&mut self, limit: &SourceLimit, ip: IpAddr, now: Instant) -> bool {
        let cap = u64::from(limit.burst.max(1)) * 1000;
        if self.buckets.len() >= MAX_SOURCES && !self.buckets.contains_key(&ip) {
            // Idle long enough to be full again: forgetting them loses nothing.
            let full_after = Duration::from_millis(cap / u64::from(limit.rate.max(1)));
            self.buckets.retain(|_, (_, at)| now.saturating_duration_since(*at) < full_after);
            if self.buckets.len() >= MAX_SOURCES {
                return true;
            }
        }
        let (tokens, at) = self.buckets.entry(ip).or_insert((cap, now));
        // Whole milliseconds only, the rest stays owed: rate/s is rate
        // thousandths per ms.
        let elapsed = now.saturating_duration_since(*at).as_millis() as u64;
        *tokens = (*tokens + elapsed * u64::from(limit.rate)).min(cap);
        *at += Duration::from_millis(elapsed);
        if *tokens < 1000 {
            return false;
        }
        *tokens -= 1000;
        true
    }
}

impl super::ShardCore {
    /// Whether `from` may start another call under `max_calls_per_source`.
    pub(crate) fn source_has_room(&self, from: SocketAddr) -> bool {
        self.cfg
            .max_calls_per_source
            .is_none_or(|cap| self.calls_by_source.get(&from.ip()).is_none_or(|&n| n < cap))
    }

    /// The runtime's overload signal (its inbox delay over threshold):
    /// while set, new INVITEs get 503 with Retry-After; requests of
    /// existing calls are served as usual.
    pub fn set_overloaded(&mut self, on: bool) {
        self.overloaded = on;
    }

    /// Whether a new call from `from` may start now.
    pub(crate) fn has_room_for_call(&self, from: SocketAddr) -> bool {
        self.accepting
            && !self.overloaded
            && self.calls.len() < self.cfg.max_calls
            && self.source_has_room(from)
    }

    /// Counts a refused new call under its cause; returns the reason phrase.
    pub(crate) fn count_refusal(&mut self) -> &'static str {
        if !self.accepting {
            self.stats.overload_rejected += 1;
            return "Service Unavailable - Shutting Down";
        }
        if self.overloaded {
            self.stats.overload_rejected += 1;
            self.stats.overload_by_delay += 1;
            return "Service Unavailable - Overloaded";
        }
        if self.calls.len() >= self.cfg.max_calls {
            self.stats.overload_rejected += 1;
            return "Service Unavailable - Call Limit";
        }
        self.stats.source_limited += 1;
        "Service Unavailable - Source Call Limit"
    }

    /// Counts a call of `from` in (`true`) or out; kept only under a cap.
    pub(crate) fn note_source_call(&mut self, from: SocketAddr, start: bool) {
        if self.cfg.max_calls_per_source.is_none() {
            return;
        }
        let n = self.calls_by_source.entry(from.ip()).or_insert(0);
        *n = if start { *n + 1 } else { n.saturating_sub(1) };
        if *n == 0 {
            self.calls_by_source.remove(&from.ip());
        }
    }
}
