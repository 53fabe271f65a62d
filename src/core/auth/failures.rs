//! Failed authentication attempts per source address: after
//! `max_failures` within `failure_window` of each other, the source's
//! requests get 403 until it has been quiet for the window. Bounded like
//! the source limiter: idle entries are swept, and when the table is
//! still full a new source goes untracked rather than turned away.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Sources tracked at most per shard.
const MAX_SOURCES: usize = 65_536;

/// (failures, time of the last) per source.
#[derive(Debug, Default)]
pub(crate) struct SourceFailures {
    sources: HashMap<IpAddr, (u32, Instant), ahash::RandomState>,
}

impl SourceFailures {
    /// Whether `ip` has failed `max` times, the last within `window`.
    pub(crate) fn blocked(&self, ip: IpAddr, now: Instant, max: u32, window: Duration) -> bool {
        self.sources.get(&ip).is_some_and(|&(n, at)| n >= max && now.saturating_duration_since(at) < window)
    }

    /// Counts a failure of `ip`; returns its failures so far.
    pub(crate) fn fail(&mut self, ip: IpAddr, now: Instant, window: Duration) -> u32 {
        if self.sources.len() >= MAX_SOURCES && !self.sources.contains_key(&ip) {
            self.sources.retain(|_, (_, at)| now.saturating_duration_since(*at) < window);
            if self.sources.len() >= MAX_SOURCES {
                return 1;
            }
        }
        let (n, at) = self.sources.entry(ip).or_insert((0, now));
        if now.saturating_duration_since(*at) >= window {
            *n = 0;
        }
        *n += 1;
        *at = now;
        *n
    }
}
