//! Pre-sizing a shard's server transaction tables for the load it will
//! carry: at a steady call rate, 64·T1 of lingering INVITE and BYE
//! transactions (two per call: 1.6 million at 25k calls/s), so that no
//! table grows or rehashes while calls come in.

use crate::core::ShardCore;

impl ShardCore {
    /// Room for `transactions` more server transactions of each kind
    /// (INVITE and non-INVITE) without growing.
    pub fn reserve_server_transactions(&mut self, transactions: usize) {
        self.ist.reserve(transactions);
        self.nist.reserve(transactions);
    }

    /// Server transactions each table holds without growing (the smaller
    /// of the INVITE and non-INVITE tables).
    pub fn server_transaction_capacity(&self) -> usize {
        self.ist.capacity().min(self.nist.capacity())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use crate::core::{CoreConfig, ShardCore};

    #[test]
    fn reserved_tables_hold_that_many_without_growing() {
        let mut core = ShardCore::new(CoreConfig::default(), Instant::now());
        assert!(core.server_transaction_capacity() < 10_000);
        core.reserve_server_transactions(10_000);
        assert!(core.server_transaction_capacity() >= 10_000);
    }
}
