//! A snapshot of a running (or stopped) engine's counters.

use std::time::Duration;

use crate::runtime::ShardReport;

/// Counters and latency histograms of a running (or stopped) engine.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct StatsSnapshot {
    /// All shards merged, with the media totals.
    pub total: ShardReport,
    /// Each shard's own.
    pub shards: Vec<ShardReport>,
    /// Calls up right now (over all shards, as last published).
    pub active_calls: u64,
    /// Time since start.
    pub uptime: Duration,
}
