//! A token bucket per source IP address for new INVITEs and other
//! out-of-dialog requests, so one noisy peer cannot take every call slot
//! (off unless configured).

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// What happens to a request over its source's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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
        self.take(limit, ip, now, 1)
    }

    /// Takes `n` tokens for `ip` (as many as it has, when fewer); false
    /// when it had less than one.
    pub(crate) fn take(&mut self, limit: &SourceLimit, ip: IpAddr, now: Instant, n: u32) -> bool {
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
        *tokens = tokens.saturating_sub(u64::from(n) * 1000);
        true
    }
}
