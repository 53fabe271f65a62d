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
        for r in &self.0 {
            total.merge(&r.lock());
        }
        total
    }
}
