//! The nonce counts seen per nonce, so that a captured request cannot
//! be replayed (RFC 7616 §3.3, §5.12): each use of a nonce must carry a
//! higher `nc` than the last. Memory is bounded per shard: expired
//! nonces are forgotten, and when the table is still full the oldest
//! quarter is dropped and everything issued up to the newest dropped one
//! is treated as stale from then on (so forgetting never lets a replay
//! through; the caller just gets a fresh nonce).

use std::collections::HashMap;

/// Nonces remembered at most per shard.
pub(crate) const MAX_NONCES: usize = 65_536;

/// What the replay memory says about a use of a nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NcCheck {
    /// A higher count than before: accepted and remembered.
    Fresh,
    /// The same or a lower count than one already used.
    Replayed,
    /// Issued before what the memory had to forget.
    Forgotten,
}

/// Highest nc per nonce id, with each nonce's time of issue (ms).
#[derive(Debug)]
pub(crate) struct NcMemory {
    seen: HashMap<u64, (u64, u32), ahash::RandomState>,
    /// Nonces issued at or before this (ms) are no longer remembered.
    floor: Option<u64>,
    capacity: usize,
}

impl NcMemory {
    pub(crate) fn new(capacity: usize) -> NcMemory {
        NcMemory { seen: HashMap::default(), floor: None, capacity: capacity.max(4) }
    }

    /// Records the use of nonce `id` (issued at `issued` ms) with count
    /// `nc`; `now_ms` and `lifetime_ms` let expired entries go.
    pub(crate) fn record(&mut self, id: u64, issued: u64, nc: u32, now_ms: u64, lifetime_ms: u64) -> NcCheck {
        if let Some(&(_, last)) = self.seen.get(&id) {
            if nc <= last {
                return NcCheck::Replayed;
            }
            self.seen.insert(id, (issued, nc));
            return NcCheck::Fresh;
        }
        if self.floor.is_some_and(|f| issued <= f) {
            return NcCheck::Forgotten;
        }
        if self.seen.len() >= self.capacity {
            self.make_room(now_ms, lifetime_ms);
            if self.floor.is_some_and(|f| issued <= f) {
                return NcCheck::Forgotten;
            }
        }
        self.seen.insert(id, (issued, nc));
        NcCheck::Fresh
    }

    /// Nonces remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.seen.len()
    }

    fn make_room(&mut self, now_ms: u64, lifetime_ms: u64) {
        // Expired nonces fail as stale before the memory is asked.
        self.seen.retain(|_, (issued, _)| now_ms.saturating_sub(*issued) <= lifetime_ms);
        if self.seen.len() < self.capacity {
            return;
        }
        let mut stamps: Vec<u64> = self.seen.values().map(|(issued, _)| *issued).collect();
        stamps.sort_unstable();
        let cut = stamps[stamps.len() / 4];
        self.seen.retain(|_, (issued, _)| *issued > cut);
        self.floor = Some(self.floor.map_or(cut, |f| f.max(cut)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_must_rise_per_nonce() {
        let mut m = NcMemory::new(16);
        assert_eq!(m.record(1, 0, 1, 0, 1000), NcCheck::Fresh);
        assert_eq!(m.record(1, 0, 1, 0, 1000), NcCheck::Replayed);
        assert_eq!(m.record(1, 0, 3, 0, 1000), NcCheck::Fresh);
        assert_eq!(m.record(1, 0, 2, 0, 1000), NcCheck::Replayed);
        assert_eq!(m.record(2, 0, 1, 0, 1000), NcCheck::Fresh, "another nonce counts apart");
    }

    #[test]
    fn memory_stays_bounded_and_what_it_forgets_is_stale_not_replayable() {
        let mut m = NcMemory::new(16);
        // 1,000 nonces, one per ms, all within their lifetime.
        for id in 0..1000u64 {
            assert_ne!(m.record(id, id, 1, id, 1_000_000), NcCheck::Replayed);
            assert!(m.len() <= 16, "{} entries", m.len());
        }
        // An early nonce replayed after it was forgotten is not accepted.
        assert_eq!(m.record(3, 3, 1, 1000, 1_000_000), NcCheck::Forgotten);
        // The newest are still remembered.
        assert_eq!(m.record(999, 999, 1, 1000, 1_000_000), NcCheck::Replayed);
        // Expired entries make room before anything is forgotten early.
        let mut e = NcMemory::new(4);
        for id in 0..4u64 {
            e.record(id, id, 1, id, 10);
        }
        assert_eq!(e.record(100, 100, 1, 100, 10), NcCheck::Fresh);
        assert_eq!(e.len(), 1, "the four expired ones went");
        assert_eq!(e.record(50, 50, 1, 100, 10), NcCheck::Fresh, "no floor was set");
    }
}
