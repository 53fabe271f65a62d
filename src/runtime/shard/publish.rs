//! What a shard publishes for the collector: its counters, copied out
//! under a cold lock a few times a second; nothing shared is touched per
//! packet.

use std::sync::Arc;

use parking_lot::Mutex;

use crate::core::ShardCore;
use crate::runtime::report::ShardReport;

/// A shard's published report and how often it was refreshed.
pub(crate) struct Publisher {
    report: Arc<Mutex<ShardReport>>,
    publications: u64,
}

impl Publisher {
    pub(crate) fn new(report: Arc<Mutex<ShardReport>>) -> Publisher {
        Publisher { report, publications: 0 }
    }

    /// Copies the counters out. The histograms (a few hundred KB each) are
    /// copied only every fifth time, and while stopping.
    pub(crate) fn publish(&mut self, core: &ShardCore, local: &ShardReport, stopping: bool) {
        self.publications += 1;
        let with_histograms = self.publications % 5 == 1 || stopping;
        let mut shared = self.report.lock();
        shared.core = *core.stats();
        shared.tables = core.table_sizes();
        shared.copy_runtime_counters(local);
        if with_histograms {
            shared.copy_histograms(local, [core.setup_histogram(), core.placed_setup_histogram()]);
        }
    }
}
