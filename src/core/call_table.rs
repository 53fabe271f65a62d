//! The shard's calls: slab slots plus an index by Call-ID. Owned by one
//! thread, so plain maps.

use slab::Slab;

pub(crate) use super::call::{Call, CallTimer, Reinvite};
use crate::dialog::CallHandle;

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
        let hash = self.hasher.hash_one(call.dialog.call_id());
        let slot = self.calls.insert(call);
        let (calls, hasher) = (&self.calls, &self.hasher);
        self.by_call_id.insert_unique(hash, slot, |&s| hasher.hash_one(calls[s].dialog.call_id()));
        slot
    }

    pub(crate) fn find(&self, call_id: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(call_id);
        let calls = &self.calls;
        self.by_call_id.find(hash, |&s| calls.get(s).is_some_and(|c| c.dialog.call_id() == call_id)).copied()
    }

    pub(crate) fn get_mut(&mut self, slot: usize) -> Option<&mut Call> {
        self.calls.get_mut(slot)
    }

    pub(crate) fn get(&self, slot: usize) -> Option<&Call> {
        self.calls.get(slot)
    }

    /// The call in `slot` if it still has this generation.
    pub(crate) fn live(&self, h: CallHandle) -> Option<&Call> {
        self.calls.get(h.slot as usize).filter(|c| c.generation == h.generation)
    }

    /// The same, to change.
    pub(crate) fn live_mut(&mut self, h: CallHandle) -> Option<&mut Call> {
        self.calls.get_mut(h.slot as usize).filter(|c| c.generation == h.generation)
    }

    pub(crate) fn remove(&mut self, slot: usize) -> Option<Call> {
        let hash = self.hasher.hash_one(self.calls.get(slot)?.dialog.call_id());
        if let Ok(entry) = self.by_call_id.find_entry(hash, |&s| s == slot) {
            entry.remove();
        }
        self.calls.try_remove(slot)
    }

    pub(crate) fn handle(&self, slot: usize) -> CallHandle {
        let generation = self.calls.get(slot).map_or(0, |c| c.generation);
        CallHandle { slot: slot as u32, generation }
    }

    pub(crate) fn len(&self) -> usize {
        self.calls.len()
    }

    pub(crate) fn slots(&self) -> Vec<usize> {
        self.calls.iter().map(|(i, _)| i).collect()
    }
}

impl super::ShardCore {
    /// Live calls, transactions and timers (all zero once idle).
    pub fn table_sizes(&self) -> super::TableSizes {
        super::TableSizes {
            calls: self.calls.len(),
            server_txns: self.ist.len() + self.nist.len(),
            client_txns: self.ict.len() + self.nict.len(),
            timers: self.wheel.len(),
        }
    }

    /// Signalling bytes held per live call (Dialog text plus the fixed
    /// call record), for the per-call memory budget.
    pub fn bytes_per_call(&self) -> usize {
        let slots = self.calls.slots();
        if slots.is_empty() {
            return 0;
        }
        let text: usize =
            slots.iter().filter_map(|&s| self.calls.get(s)).map(|c| c.dialog.heap_bytes()).sum();
        text / slots.len() + std::mem::size_of::<Call>() + 32
    }
}
