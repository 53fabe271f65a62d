//! The shard's calls: slab slots plus an index by Call-ID. Owned by one
//! thread, so plain maps.

use slab::Slab;

use super::Call;
use crate::core::CallHandle;

/// Calls by slot and by Call-ID. The index holds slots only and compares
/// against the dialog's own Call-ID: no second copy of the key per call
/// (one allocation less per call, one cache miss less per lookup).
#[derive(Debug, Default)]
pub(crate) struct CallTable {
    calls: Slab<Call>,
    by_call_id: hashbrown::HashTable<usize>,
    hasher: ahash::RandomState,
}

impl CallTable {
    pub(crate) fn insert(&mut self, call: Call) -> usize {
        let hash = self.hasher.hash_one(call.dialog().call_id());
        let slot = self.calls.insert(call);
        let (calls, hasher) = (&self.calls, &self.hasher);
        self.by_call_id.insert_unique(hash, slot, |&s| hasher.hash_one(calls[s].dialog().call_id()));
        slot
    }

    pub(crate) fn find(&self, call_id: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(call_id);
        let calls = &self.calls;
        self.by_call_id
            .find(hash, |&s| calls.get(s).is_some_and(|c| c.dialog().call_id() == call_id))
            .copied()
    }

    pub(crate) fn get_mut(&mut self, slot: usize) -> Option<&mut Call> {
        self.calls.get_mut(slot)
    }

    pub(crate) fn get(&self, slot: usize) -> Option<&Call> {
        self.calls.get(slot)
    }

    /// The slot of the call `h` names, if it still lives (same shard,
    /// same generation).
    pub(crate) fn live(&self, shard: u16, h: CallHandle) -> Option<usize> {
        let slot = h.slot as usize;
        let c = self.calls.get(slot)?;
        (h.shard == shard && c.generation() == h.generation).then_some(slot)
    }

    pub(crate) fn remove(&mut self, slot: usize) -> Option<Call> {
        let hash = self.hasher.hash_one(self.calls.get(slot)?.dialog().call_id());
        if let Ok(entry) = self.by_call_id.find_entry(hash, |&s| s == slot) {
            entry.remove();
        }
        self.calls.try_remove(slot)
    }

    /// The engine's handle on the call in `slot` of shard `shard`.
    pub(crate) fn handle(&self, shard: u16, slot: usize) -> CallHandle {
        let generation = self.calls.get(slot).map_or(0, |c| c.generation());
        CallHandle { shard, slot: slot as u32, generation }
    }

    pub(crate) fn len(&self) -> usize {
        self.calls.len()
    }

    pub(crate) fn slots(&self) -> Vec<usize> {
        self.calls.iter().map(|(i, _)| i).collect()
    }

    /// Signalling bytes held per live call (dialog text plus the fixed
    /// call record), for the per-call memory budget.
    pub(crate) fn bytes_per_call(&self) -> usize {
        if self.calls.is_empty() {
            return 0;
        }
        let text: usize = self.calls.iter().map(|(_, c)| c.dialog().heap_bytes()).sum();
        text / self.calls.len() + std::mem::size_of::<Call>() + 32
    }
}
