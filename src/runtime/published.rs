//! The collector's side: what the shards last published, read from any
//! thread under each shard's cold lock, merged or one by one.

use super::{ReportHandle, Runtime, ShardReport, report_handle};
use crate::core::CoreStats;
use crate::media::MediaTotals;

impl Runtime {
    /// Merged reports of every shard (published a few times a second).
    pub fn report(&self) -> ShardReport {
        let mut r = ShardReport::new(usize::MAX);
        self.report_into(&mut r, true);
        if let Some(m) = &self.media {
            r.media_echo_ns = m.echo_latency();
        }
        r
    }

    /// As [`report`](Self::report), in `into`'s storage (no allocation),
    /// without the media echo histogram, and the others only when
    /// `histograms`: for a sample a second.
    pub fn report_into(&self, into: &mut ShardReport, histograms: bool) {
        report_handle::merge_into(&self.reports, into, histograms);
        if let Some(m) = &self.media {
            into.media = m.totals();
        }
    }

    /// The shards' published reports, for another thread (the metrics
    /// endpoint) to read.
    pub fn reports(&self) -> ReportHandle {
        ReportHandle(self.reports.clone())
    }

    /// Active calls over all shards, from their last publication.
    pub fn active_calls(&self) -> u64 {
        self.reports.iter().map(|r| r.lock().core.active_calls).sum()
    }

    /// The core's counters over all shards, from their last publication
    /// (cheap: no histograms copied).
    pub fn core_stats(&self) -> CoreStats {
        let mut total = CoreStats::default();
        for r in &self.reports {
            total.merge(&r.lock().core);
        }
        total
    }

    /// Each shard's last report.
    pub fn shard_reports(&self) -> Vec<ShardReport> {
        self.reports.iter().map(|r| r.lock().clone()).collect()
    }

    /// The media threads' totals (`None` without media).
    pub fn media_totals(&self) -> Option<MediaTotals> {
        self.media.as_ref().map(|m| m.totals())
    }
}
