//! Timer entries in one growable arena, linked into slot lists by index so
//! a cancel unlinks in O(1); freed entries are reused (no allocation once
//! warm) and a generation counter turns old handles stale.

pub(crate) const NIL: u32 = u32::MAX;

/// Names one armed timer; stale once it fired or was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimerHandle {
    pub(crate) index: u32,
    pub(crate) generation: u32,
}

#[derive(Debug)]
pub(crate) struct Entry<T> {
    pub(crate) value: Option<T>,
    pub(crate) deadline: u64,
    pub(crate) seq: u64,
    pub(crate) generation: u32,
    pub(crate) prev: u32,
    pub(crate) next: u32,
    /// The list head this entry is linked into (level * 64 + slot).
    pub(crate) list: u16,
}

/// Entries plus per-list heads.
#[derive(Debug)]
pub(crate) struct Arena<T> {
    pub(crate) entries: Vec<Entry<T>>,
    free: Vec<u32>,
    pub(crate) heads: Vec<u32>,
    live: usize,
}

impl<T> Arena<T> {
    pub(crate) fn new(lists: usize, capacity: usize) -> Self {
        Arena { entries: Vec::with_capacity(capacity), free: Vec::new(), heads: vec![NIL; lists], live: 0 }
    }

    pub(crate) fn len(&self) -> usize {
        self.live
    }

    /// Stores a value linked at the front of `list`.
    pub(crate) fn alloc(&mut self, value: T, deadline: u64, seq: u64, list: u16) -> TimerHandle {
        let index = match self.free.pop() {
            Some(i) => {
                let e = &mut self.entries[i as usize];
                e.value = Some(value);
                e.deadline = deadline;
                e.seq = seq;
                i
            }
            None => {
                let entry =
                    Entry { value: Some(value), deadline, seq, generation: 0, prev: NIL, next: NIL, list };
                self.entries.push(entry);
                (self.entries.len() - 1) as u32
            }
        };
        self.live += 1;
        self.link(index, list);
        TimerHandle { index, generation: self.entries[index as usize].generation }
    }

    pub(crate) fn link(&mut self, index: u32, list: u16) {
        let head = self.heads[usize::from(list)];
        let e = &mut self.entries[index as usize];
        e.list = list;
        e.prev = NIL;
        e.next = head;
        if head != NIL {
            self.entries[head as usize].prev = index;
        }
        self.heads[usize::from(list)] = index;
    }

    pub(crate) fn unlink(&mut self, index: u32) {
        let (prev, next, list) = {
            let e = &self.entries[index as usize];
            (e.prev, e.next, e.list)
        };
        match prev {
            NIL => self.heads[usize::from(list)] = next,
            p => self.entries[p as usize].next = next,
        }
        if next != NIL {
            self.entries[next as usize].prev = prev;
        }
    }

    /// Whether a handle still names a live entry.
    pub(crate) fn is_live(&self, h: TimerHandle) -> bool {
        self.entries.get(h.index as usize).is_some_and(|e| e.generation == h.generation && e.value.is_some())
    }

    /// Frees an (already unlinked) entry, returning its value.
    pub(crate) fn release(&mut self, index: u32) -> Option<T> {
        let e = self.entries.get_mut(index as usize)?;
        let value = e.value.take()?;
        e.generation = e.generation.wrapping_add(1);
        self.free.push(index);
        self.live -= 1;
        Some(value)
    }

    /// Detaches a whole list, returning its first index.
    pub(crate) fn take_list(&mut self, list: u16) -> u32 {
        std::mem::replace(&mut self.heads[usize::from(list)], NIL)
    }
}
