//! The shards' published reports, readable from any thread (a metrics
//! endpoint, a progress line): each shard copies its report out under a
//! cold lock a few times a second.

use std::sync::Arc;

use parking_lot::Mutex;

use super::ShardReport;

/// The shards' published reports, readable from any thread.
#[derive(Clone)]
pub struct ReportHandle(pub(crate) Vec<Arc<Mutex<ShardReport>>>);

impl ReportHandle {
    /// Every shard's last report, merged.
    pub fn merged(&self) -> ShardReport {
        let mut total = ShardReport::new(usize::MAX);
        merge_into(&self.0, &mut total, true);
        total
    }
}

/// Every shard's last report merged into `total`, in its storage: a
/// progress sample a second allocates nothing, where a fresh report
/// allocates and faults in every histogram. The histograms are left as
/// they were unless `histograms`.
pub(crate) fn merge_into(reports: &[Arc<Mutex<ShardReport>>], total: &mut ShardReport, histograms: bool) {
    for (i, r) in reports.iter().enumerate() {
        let r = r.lock();
        if i == 0 {
            total.copy_counters(&r);
            if histograms {
                total.copy_histograms(&r, [&r.setup_us, &r.placed_setup_us]);
            }
        } else {
            total.merge_counters(&r);
            if histograms {
                total.merge_histograms(&r);
            }
        }
    }
}
