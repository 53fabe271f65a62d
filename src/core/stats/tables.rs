//! Sizes of a shard's tables (the live counts are zero once it is idle)
//! and the room its server transaction tables were given.

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
    /// Server transactions of each kind (INVITE, non-INVITE) the tables
    /// hold without growing: what `expected_rate` reserved, or what they
    /// grew to.
    pub server_txn_room: usize,
}

impl TableSizes {
    /// Everything drained (the room is kept).
    pub fn is_empty(&self) -> bool {
        TableSizes { server_txn_room: 0, ..*self } == TableSizes::default()
    }
}
