//! A shard-owned transaction table: slab storage plus a key index. No
//! locks: one thread owns it.

use std::collections::HashMap;

use slab::Slab;

use super::key::TxnKey;

/// Transactions of one kind, addressable by slot and by key.
#[derive(Debug)]
pub struct TxnTable<T> {
    slots: Slab<(TxnKey, T)>,
    index: HashMap<TxnKey, usize, ahash::RandomState>,
}

impl<T> Default for TxnTable<T> {
    fn default() -> Self {
        TxnTable { slots: Slab::new(), index: HashMap::default() }
    }
}

impl<T> TxnTable<T> {
    /// Inserts under `key`; the caller checked it is absent.
    pub fn insert(&mut self, key: TxnKey, txn: T) -> usize {
        let slot = self.slots.insert((key.clone(), txn));
        self.index.insert(key, slot);
        slot
    }

    /// The slot the next `insert` will use (timers armed before the
    /// insert must name it).
    pub fn next_slot(&self) -> usize {
        self.slots.vacant_key()
    }

    /// The slot for a key.
    pub fn find(&self, key: &TxnKey) -> Option<usize> {
        self.index.get(key).copied()
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
        let (key, txn) = self.slots.try_remove(slot)?;
        self.index.remove(&key);
        Some(txn)
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
