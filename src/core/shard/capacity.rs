//! What a shard's tables hold and the room they have, and pre-sizing the
//! transaction tables for the load they will carry: at a steady call
//! rate, 64·T1 of lingering INVITE and BYE transactions (two per call),
//! so that no table grows or rehashes while calls come in.

use std::time::Duration;

use crate::core::{ShardCore, TableSizes};

/// Transactions that `rate` calls a second leave lingering for `linger`,
/// at most `calls` (the calls there will be).
pub fn lingering_at(rate: f64, linger: Duration, calls: u64) -> usize {
    let n = (rate.max(0.0) * linger.as_secs_f64()).ceil() as u64;
    n.min(calls).min(u64::from(u32::MAX)) as usize
}

impl ShardCore {
    /// Live calls, transactions and timers (all zero once idle), and the
    /// server transaction tables' room.
    pub fn table_sizes(&self) -> TableSizes {
        TableSizes {
            calls: self.calls.len(),
            server_txns: self.ist.len() + self.nist.len(),
            client_txns: self.ict.len() + self.nict.len(),
            timers: self.clock.wheel.len(),
            server_txn_room: self.server_transaction_capacity(),
        }
    }

    /// Room for `transactions` more server transactions of each kind
    /// (INVITE and non-INVITE) without growing.
    pub fn reserve_server_transactions(&mut self, transactions: usize) {
        self.ist.reserve(transactions);
        self.nist.reserve(transactions);
    }

    /// Room for `transactions` more client transactions of each kind: a
    /// load generator's INVITEs linger Accepted for 64·T1 (RFC 6026), its
    /// BYEs for T4.
    pub fn reserve_client_transactions(&mut self, transactions: usize) {
        self.ict.reserve(transactions);
        self.nict.reserve(transactions);
    }

    /// Client transactions each table holds without growing.
    pub fn client_transaction_capacity(&self) -> usize {
        self.ict.capacity().min(self.nict.capacity())
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
        assert!(core.client_transaction_capacity() < 10_000);
        core.reserve_client_transactions(10_000);
        assert!(core.client_transaction_capacity() >= 10_000);
    }

    #[test]
    fn lingering_transactions_follow_rate_and_linger_up_to_the_calls() {
        use super::lingering_at;
        use std::time::Duration;
        assert_eq!(lingering_at(25_000.0, Duration::from_secs(32), u64::MAX), 800_000);
        assert_eq!(lingering_at(10_000.0, Duration::from_secs(32), 30_000), 30_000);
        assert_eq!(lingering_at(0.5, Duration::from_secs(3), 100), 2);
    }
}
