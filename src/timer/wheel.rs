//! The wheel proper: level selection, cascading, polling in deadline order.

use std::time::{Duration, Instant};

use super::arena::{Arena, NIL, TimerHandle};

const LEVELS: usize = 6;
const SLOT_BITS: u32 = 6;
const SLOTS: u64 = 1 << SLOT_BITS;
/// Deadlines already due when inserted wait in this extra list.
const DUE_LIST: u16 = (LEVELS as u16) * SLOTS as u16;

/// A hierarchical hashed timing wheel holding values of type `T`.
#[derive(Debug)]
pub struct TimerWheel<T> {
    epoch: Instant,
    /// Current time in ms ticks since `epoch`.
    now: u64,
    occupied: [u64; LEVELS],
    arena: Arena<T>,
    seq: u64,
    fired: Vec<(u64, u64, u32)>,
}

impl<T> TimerWheel<T> {
    /// An empty wheel whose tick 0 is `epoch`.
    pub fn new(epoch: Instant) -> Self {
        Self::with_capacity(epoch, 0)
    }

    /// An empty wheel with room for `capacity` timers before growing.
    pub fn with_capacity(epoch: Instant, capacity: usize) -> Self {
        let arena = Arena::new(LEVELS * SLOTS as usize + 1, capacity);
        TimerWheel { epoch, now: 0, occupied: [0; LEVELS], arena, seq: 0, fired: Vec::new() }
    }

    /// Rounded up, so a timer never fires early.
    fn deadline_tick(&self, at: Instant) -> u64 {
        // Seconds and sub-second apart: no u128 division per insert.
        let d = at.saturating_duration_since(self.epoch);
        let ms = d.subsec_nanos().div_ceil(1_000_000);
        d.as_secs().saturating_mul(1000).saturating_add(u64::from(ms))
    }

    fn now_tick(&self, at: Instant) -> u64 {
        u64::try_from(at.saturating_duration_since(self.epoch).as_millis()).unwrap_or(u64::MAX)
    }

    /// The list for a deadline, relative to the current tick.
    fn list_for(&self, deadline: u64) -> (u16, Option<usize>) {
        if deadline <= self.now {
            return (DUE_LIST, None);
        }
        let significant = 63 - ((deadline ^ self.now) | (SLOTS - 1)).leading_zeros();
        let level = (significant / SLOT_BITS) as usize;
        let top_shift = SLOT_BITS * (LEVELS as u32 - 1);
        // Beyond the span (bits above the top level differ): park in the
        // top-level slot holding the deadline, whose next start is never
        // past it; if that is the current top slot (next start a full turn
        // away), in the farthest slot. It re-cascades from there, never late.
        let (level, slot) = if level >= LEVELS {
            let now_slot = (self.now >> top_shift) & (SLOTS - 1);
            let slot = (deadline >> top_shift) & (SLOTS - 1);
            (LEVELS - 1, if slot == now_slot { (now_slot + SLOTS - 1) & (SLOTS - 1) } else { slot })
        } else {
            (level, (deadline >> (SLOT_BITS * level as u32)) & (SLOTS - 1))
        };
        ((level as u64 * SLOTS + slot) as u16, Some(level))
    }

    fn place(&mut self, index: u32, deadline: u64) {
        let list = self.occupy(deadline);
        self.arena.link(index, list);
    }

    /// The list for a deadline, marked occupied at its level.
    fn occupy(&mut self, deadline: u64) -> u16 {
        let (list, level) = self.list_for(deadline);
        if let Some(level) = level {
            self.occupied[level] |= 1 << (u64::from(list) % SLOTS);
        }
        list
    }

    /// Arms a timer. A deadline at or before the wheel's time fires on the next poll.
    pub fn insert(&mut self, deadline: Instant, value: T) -> TimerHandle {
        let tick = self.deadline_tick(deadline);
        self.seq += 1;
        // Linked straight into its list (not the due list first and moved).
        let list = self.occupy(tick);
        self.arena.alloc(value, tick, self.seq, list)
    }

    /// Cancels a timer; a stale handle is a no-op returning `None`.
    pub fn cancel(&mut self, handle: TimerHandle) -> Option<T> {
        if !self.arena.is_live(handle) {
            return None;
        }
        let list = self.arena.entries[handle.index as usize].list;
        self.arena.unlink(handle.index);
        if list != DUE_LIST && self.arena.heads[usize::from(list)] == NIL {
            self.occupied[usize::from(list) / SLOTS as usize] &= !(1 << (u64::from(list) % SLOTS));
        }
        self.arena.release(handle.index)
    }

    /// Whether the handle names an armed timer.
    pub fn contains(&self, handle: TimerHandle) -> bool {
        self.arena.is_live(handle)
    }

    /// Armed timers.
    pub fn len(&self) -> usize {
        self.arena.len()
    }

    /// No armed timers.
    pub fn is_empty(&self) -> bool {
        self.arena.len() == 0
    }

    /// The earliest occupied slot start over all levels: (tick, level, slot).
    fn next_expiration(&self) -> Option<(u64, usize, u64)> {
        let mut best: Option<(u64, usize, u64)> = None;
        for level in 0..LEVELS {
            let bits = self.occupied[level];
            if bits == 0 {
                continue;
            }
            let shift = SLOT_BITS * level as u32;
            let now_slot = (self.now >> shift) & (SLOTS - 1);
            let k = u64::from(bits.rotate_right(now_slot as u32).trailing_zeros());
            let slot = (now_slot + k) & (SLOTS - 1);
            let level_span = SLOTS << shift;
            let level_start = self.now & !(level_span.wrapping_sub(1));
            let mut when = level_start + (slot << shift);
            if now_slot + k >= SLOTS {
                when += level_span;
            }
            let when = when.max(self.now);
            if best.is_none_or(|(b, _, _)| when < b) {
                best = Some((when, level, slot));
            }
        }
        best
    }

    /// Earliest time a poll could fire something: never later than the
    /// true earliest deadline (a slot start for coarse levels).
    pub fn next_deadline(&self) -> Option<Instant> {
        if self.arena.heads[usize::from(DUE_LIST)] != NIL {
            return Some(self.epoch + Duration::from_millis(self.now));
        }
        self.next_expiration().map(|(tick, _, _)| self.epoch + Duration::from_millis(tick))
    }

    /// Fires every timer due at `now`, in deadline order (ties in insertion
    /// order). Handles are stale before `fire` sees their values.
    pub fn poll(&mut self, now: Instant, mut fire: impl FnMut(TimerHandle, T)) {
        let target = self.now_tick(now);
        self.collect(DUE_LIST);
        while let Some((when, level, slot)) = self.next_expiration() {
            if when > target {
                break;
            }
            self.now = when;
            self.occupied[level] &= !(1 << slot);
            self.collect((level as u64 * SLOTS + slot) as u16);
        }
        self.now = self.now.max(target);
        let mut fired = std::mem::take(&mut self.fired);
        fired.sort_unstable_by_key(|&(deadline, seq, _)| (deadline, seq));
        for &(_, _, index) in &fired {
            let generation = self.arena.entries[index as usize].generation;
            if let Some(value) = self.arena.release(index) {
                fire(TimerHandle { index, generation }, value);
            }
        }
        fired.clear();
        self.fired = fired;
    }

    /// Takes a list: due entries go to `fired`, the rest cascade down.
    fn collect(&mut self, list: u16) {
        let mut index = self.arena.take_list(list);
        while index != NIL {
            let (next, deadline, seq) = {
                let e = &self.arena.entries[index as usize];
                (e.next, e.deadline, e.seq)
            };
            if deadline <= self.now {
                self.arena.entries[index as usize].list = DUE_LIST;
                self.fired.push((deadline, seq, index));
            } else {
                self.place(index, deadline);
            }
            index = next;
        }
    }
}
