//! A shard-owned transaction table: slab storage plus a key index. No
//! locks: one thread owns it. The key lives once, in the slab; the index
//! holds only slot numbers (hashbrown's `HashTable`), so a transaction
//! costs one key allocation, not two.

use hashbrown::HashTable;
use slab::Slab;

use super::key::TxnKey;

/// Transactions of one kind, addressable by slot and by key.
#[derive(Debug)]
pub struct TxnTable<T> {
    slots: Slab<(TxnKey, T)>,
    index: HashTable<usize>,
    hasher: ahash::RandomState,
}

impl<T> Default for TxnTable<T> {
    fn default() -> Self {
        TxnTable { slots: Slab::new(), index: HashTable::new(), hasher: ahash::RandomState::new() }
    }
}

impl<T> TxnTable<T> {
    /// Inserts under `key`; the caller checked it is absent.
    pub fn insert(&mut self, key: TxnKey, txn: T) -> usize {
        let hash = self.hasher.hash_one(&key);
        let slot = self.slots.insert((key, txn));
        let (slots, hasher) = (&self.slots, &self.hasher);
        self.index.insert_unique(hash, slot, |&s| slots.get(s).map_or(0, |(k, _)| hasher.hash_one(k)));
        slot
    }

    /// Room for `additional` more transactions without growing: the slab
    /// and the index grow here, not on the hot path (an index that is full
    /// of removed entries rehashes in place less often with room to spare).
    pub fn reserve(&mut self, additional: usize) {
        self.slots.reserve(additional);
        let (slots, hasher) = (&self.slots, &self.hasher);
        self.index.reserve(additional, |&s| slots.get(s).map_or(0, |(k, _)| hasher.hash_one(k)));
    }

    /// Transactions the table holds without growing.
    pub fn capacity(&self) -> usize {
        self.slots.capacity().min(self.index.capacity())
    }

    /// The slot for a key.
    pub fn find(&self, key: &TxnKey) -> Option<usize> {
        let hash = self.hasher.hash_one(key);
        self.index.find(hash, |&s| self.slots.get(s).is_some_and(|(k, _)| k == key)).copied()
    }

    /// The slot the next `insert` will use (timers armed before the
    /// insert must name it).
    pub fn next_slot(&self) -> usize {
        self.slots.vacant_key()
    }

    /// The transaction in a slot.
    pub fn get_mut(&mut self, slot: usize) -> Option<&mut T> {
        self.slots.get_mut(slot).map(|(_, t)| t)
    }

    /// The transaction in a slot.
    pub fn get(&self, slot: usize) -> Option<&T> {
        self.slots.get(slot).map(|(_, t)| t)
    }

    /// Removes a slot's transaction.
    pub fn remove(&mut self, slot: usize) -> Option<T> {
        let (key, _) = self.slots.get(slot)?;
        let hash = self.hasher.hash_one(key);
        if let Ok(entry) = self.index.find_entry(hash, |&s| s == slot) {
            entry.remove();
        }
        self.slots.try_remove(slot).map(|(_, t)| t)
    }

    /// Live transactions.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// No live transactions.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Slots of every live transaction (for shutdown sweeps).
    pub fn slots(&self) -> Vec<usize> {
        self.slots.iter().map(|(i, _)| i).collect()
    }
}
