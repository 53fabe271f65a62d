//! Sizes of a shard's tables (all zero once it is idle).

/// Sizes of the shard's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableSizes {
    /// Live calls.
    pub calls: usize,
    /// Live server transactions.
    pub server_txns: usize,
    /// Live client transactions.
    pub client_txns: usize,
    /// Armed timers.
    pub timers: usize,
}

impl TableSizes {
    /// Everything drained.
    pub fn is_empty(&self) -> bool {
        *self == TableSizes::default()
    }
}
