//! A limit shared by the shards of one engine (live calls, live server
//! transactions) without a shared counter on the common path: each shard
//! keeps a small pool of slots it took from the common stock, so taking
//! and returning a slot is one relaxed operation on its own cache line.
//! A shard whose pool and the stock are empty takes a slot out of another
//! shard's pool, so no shard is refused while any slot is unused
//! (beyond the moment two shards race for the last one).

use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};

use crossbeam::utils::CachePadded;

/// Slots up to a limit, shared by `shards` shards.
#[derive(Debug)]
pub(crate) struct SlotPool {
    /// Slots in no pool and in no use; below zero after forced takes.
    stock: CachePadded<AtomicIsize>,
    /// Per shard: slots taken from the stock and not in use. Only the
    /// owner adds to its pool; others may take from it.
    pools: Box<[CachePadded<AtomicIsize>]>,
    /// Slots a shard takes from the stock at once; it keeps at most two
    /// batches and gives one back beyond that.
    batch: isize,
}

impl SlotPool {
    pub(crate) fn new(limit: usize, shards: usize) -> Arc<SlotPool> {
        let shards = shards.max(1);
        let limit = isize::try_from(limit).unwrap_or(isize::MAX);
        // Small against the limit, so pools hold little of it.
        let batch = (limit / (8 * shards as isize)).clamp(1, 64);
        Arc::new(SlotPool {
            stock: CachePadded::new(AtomicIsize::new(limit)),
            pools: (0..shards).map(|_| CachePadded::new(AtomicIsize::new(0))).collect(),
            batch,
        })
    }

    /// A shard's pool (a shard number beyond the count shares the first).
    #[inline(always)]
    fn pool(&self, shard: usize) -> &AtomicIsize {
        self.pools.get(shard).unwrap_or(&self.pools[0])
    }

    /// Takes a slot for `shard`; false when every slot is in use.
    #[inline]
    pub(crate) fn try_take(&self, shard: usize) -> bool {
        self.take_own(shard) || self.refill(shard) || self.steal(shard)
    }

    /// Takes a slot for `shard` even beyond the limit (work that must not
    /// be refused, such as requests inside a call).
    #[inline]
    pub(crate) fn take(&self, shard: usize) {
        if !self.take_own(shard) && !self.refill(shard) {
            self.stock.fetch_sub(1, Relaxed);
        }
    }

    /// Whether a slot is unused now, forced takes counted (no slot is
    /// taken).
    pub(crate) fn has_room(&self) -> bool {
        self.stock.load(Relaxed) + self.pools.iter().map(|p| p.load(Relaxed)).sum::<isize>() > 0
    }

    /// Returns a slot `shard` took: to the stock while forced takes left
    /// it short, else to the shard's pool.
    #[inline]
    pub(crate) fn put_back(&self, shard: usize) {
        if self.stock.load(Relaxed) < 0 {
            self.stock.fetch_add(1, Relaxed);
            return;
        }
        let pool = self.pool(shard);
        let held = pool.fetch_add(1, Relaxed) + 1;
        if held > 2 * self.batch && take_up_to(pool, self.batch) == self.batch {
            self.stock.fetch_add(self.batch, Relaxed);
        }
    }

    /// One slot from the shard's own pool: one operation. The owner is the
    /// only one that takes below zero, and it undoes that at once; others
    /// only take from a positive pool.
    #[inline(always)]
    fn take_own(&self, shard: usize) -> bool {
        let pool = self.pool(shard);
        if pool.fetch_sub(1, Relaxed) > 0 {
            return true;
        }
        pool.fetch_add(1, Relaxed);
        false
    }

    /// A batch from the stock (or what is left of it): one for now, the
    /// rest into the pool.
    #[cold]
    fn refill(&self, shard: usize) -> bool {
        let got = take_up_to(&self.stock, self.batch);
        if got > 1 {
            self.pool(shard).fetch_add(got - 1, Relaxed);
        }
        got > 0
    }

    /// One slot out of another shard's pool.
    #[cold]
    fn steal(&self, shard: usize) -> bool {
        let me = self.pool(shard);
        self.pools.iter().any(|p| !std::ptr::eq::<AtomicIsize>(&**p, me) && take_up_to(p, 1) == 1)
    }

    /// Slots not in use (in the stock or a pool).
    #[cfg(test)]
    fn unused(&self) -> isize {
        self.stock.load(Relaxed) + self.pools.iter().map(|p| p.load(Relaxed)).sum::<isize>()
    }
}

/// Takes up to `n` from a positive counter; how many it took.
fn take_up_to(a: &AtomicIsize, n: isize) -> isize {
    let mut cur = a.load(Relaxed);
    while cur > 0 {
        let got = cur.min(n);
        match a.compare_exchange_weak(cur, cur - got, Relaxed, Relaxed) {
            Ok(_) => return got,
            Err(now) => cur = now,
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever shard asks, exactly `limit` slots are handed out, and a
    /// slot returned on one shard serves the next call on another.
    #[test]
    fn exact_over_shards() {
        for (limit, shards) in [(1, 2), (3, 2), (10, 3), (1000, 4)] {
            let p = SlotPool::new(limit, shards);
            let mut taken = vec![0usize; shards];
            // Skewed: every call on shard 0 until it is refused, then the rest.
            for s in (0..shards).cycle().take(limit * 2 + shards) {
                let s = if taken.iter().sum::<usize>() < limit / 2 { 0 } else { s };
                if p.try_take(s) {
                    taken[s] += 1;
                }
            }
            assert_eq!(taken.iter().sum::<usize>(), limit, "limit {limit} shards {shards}");
            assert!((0..shards).all(|s| !p.try_take(s)));
            // Ends on the shard that took most, starts on the one with fewest.
            let most = (0..shards).max_by_key(|&s| taken[s]).unwrap();
            let fewest = (0..shards).min_by_key(|&s| taken[s]).unwrap();
            p.put_back(most);
            assert!(p.try_take(fewest), "a freed slot serves another shard");
            assert!(!p.try_take(most));
            for (s, &n) in taken.iter().enumerate() {
                for _ in 0..n {
                    p.put_back(s);
                }
            }
            assert_eq!(p.unused(), limit as isize);
        }
    }

    /// Forced takes may exceed the limit; checked ones then wait until
    /// enough came back.
    #[test]
    fn forced_takes_count() {
        let p = SlotPool::new(2, 2);
        p.take(0);
        p.take(1);
        p.take(1);
        assert!(!p.has_room() && !p.try_take(0));
        p.put_back(1);
        assert!(!p.try_take(0), "still at the limit");
        p.put_back(0);
        assert!(p.has_room() && p.try_take(1));
    }
}
