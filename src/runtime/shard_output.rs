//! What a shard sends out after each step: datagrams, the application's
//! events, media commands; and the counters it publishes.

use std::sync::atomic::Ordering;
use std::time::Instant;

use super::shard::Shard;
use crate::transport::send_batch;

impl Shard {
    pub(crate) fn flush(&mut self) {
        if !self.out.datagrams.is_empty() {
            let failed = send_batch(&self.socket, &self.out.datagrams);
            self.local.send_errors += failed.len() as u64;
            for (i, e) in failed {
                // Rare: copy the Call-ID so the call can hear of it.
                let id = self.out.datagrams.get(i).and_then(|d| super::dispatch::scan_call_id(&d.data));
                if let Some(id) = id.map(|id| String::from_utf8_lossy(id).into_owned()) {
                    self.core.on_send_failure(std::time::Instant::now(), &id, &e.to_string(), &mut self.out);
                }
            }
        }
        if let Some(e) = &mut self.events {
            e.take(&mut self.out.events, &mut self.local);
        }
        if let Some(m) = &self.media {
            m.forward(&mut self.core, &mut self.out, self.id);
        }
        self.out.clear();
    }

    /// Copies counters out under the cold lock. The histograms (a few
    /// hundred KB each) are copied only every fifth time, and at exit.
    pub(crate) fn publish(&mut self) {
        if let Some(e) = &mut self.events {
            e.expire(Instant::now(), false, &mut self.local);
        }
        self.publications += 1;
        let with_histograms = self.publications % 5 == 1 || self.stop.load(Ordering::Acquire);
        let mut shared = self.report.lock();
        shared.core = *self.core.stats();
        shared.tables = self.core.table_sizes();
        shared.copy_runtime_counters(&self.local);
        if with_histograms {
            shared.copy_histograms(&self.local, self.core.setup_histogram());
        }
    }
}
