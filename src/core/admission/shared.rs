//! The limits one engine's cores share: live calls (new INVITEs get 503
//! beyond them, calls we place are refused) and live server transactions
//! (new out-of-dialog requests get a stateless 503). Each counts over all
//! shards whatever the Call-ID hash sends where.

use std::sync::Arc;

use super::slot_pool::SlotPool;

/// The call and server transaction limits of the cores of one engine.
/// Give every core of the engine a clone (`CoreConfig::shared_limits`);
/// a core without one counts alone against its own `max_calls` and
/// `max_transactions`.
#[derive(Debug, Clone)]
pub struct SharedLimits {
    pub(super) calls: Arc<SlotPool>,
    pub(super) transactions: Arc<SlotPool>,
}

impl SharedLimits {
    /// At most `max_calls` calls and `max_transactions` server
    /// transactions live over `shards` cores (shards `0..shards`).
    pub fn new(max_calls: usize, max_transactions: usize, shards: usize) -> SharedLimits {
        SharedLimits {
            calls: SlotPool::new(max_calls, shards),
            transactions: SlotPool::new(max_transactions, shards),
        }
    }
}
