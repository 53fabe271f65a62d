//! Live totals of one media thread, published with relaxed stores after
//! each wake-up (the thread counts in plain fields meanwhile), and the
//! pool-wide sum that reports and the progress line read.

use std::sync::atomic::{AtomicU64, Ordering};

use super::command::StreamReport;

macro_rules! media_totals {
    ($($field:ident: $doc:literal),* $(,)?) => {
        /// Pool-wide media totals.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct MediaTotals {
            $(#[doc = $doc] pub $field: u64,)*
        }

        /// One thread's published totals.
        #[derive(Debug, Default)]
        pub(crate) struct MediaCounters {
            $($field: AtomicU64,)*
        }

        impl MediaCounters {
            pub(crate) fn publish(&self, t: &MediaTotals) {
                $(self.$field.store(t.$field, Ordering::Relaxed);)*
            }

            pub(crate) fn add_to(&self, t: &mut MediaTotals) {
                $(t.$field += self.$field.load(Ordering::Relaxed);)*
            }
        }
    };
}

media_totals! {
    streams_opened: "Streams opened.",
    streams_closed: "Streams closed.",
    packets_in: "RTP packets received.",
    bytes_in: "RTP bytes received.",
    packets_out: "RTP packets sent.",
    bytes_out: "RTP bytes sent.",
    malformed: "Datagrams that were not RTP/RTCP (dropped).",
    rtcp_in: "RTCP packets received.",
    rtcp_out: "RTCP reports sent.",
    timeouts: "Media timeouts raised.",
    lost: "Packets lost, over closed streams.",
    late: "Late packets, over closed streams.",
    duplicates: "Duplicate packets, over closed streams.",
    mos_milli_sum: "Sum of closed streams' estimated MOS × 1000.",
    mos_streams: "Closed streams that received media (for the MOS mean).",
    jitter_us_max: "Highest final jitter of a closed stream, µs.",
    cpu_ns: "CPU time of the media threads, ns.",
    srtp_streams: "Closed streams that were encrypted (SRTP).",
    srtp_auth_failures: "SRTP/SRTCP packets of a known source that failed authentication (dropped).",
    srtp_replays: "SRTP/SRTCP replays, received or about to be sent (dropped).",
    srtp_unknown_ssrc: "SRTP/SRTCP packets of an unknown source that did not authenticate (dropped).",
    srtp_key_expired: "Packets dropped because a master key's lifetime was used up.",
}

impl MediaTotals {
    /// Folds a closed stream's report in.
    pub(crate) fn add_closed(&mut self, r: &StreamReport) {
        self.streams_closed += 1;
        self.lost += r.lost;
        self.late += r.late;
        self.duplicates += r.duplicates;
        if r.packets_in > 0 {
            self.mos_milli_sum += (r.mos * 1000.0) as u64;
            self.mos_streams += 1;
        }
        self.jitter_us_max = self.jitter_us_max.max((r.jitter_ms * 1000.0) as u64);
        self.srtp_streams += u64::from(r.srtp.is_some());
    }

    /// Mean estimated MOS of closed streams that received media.
    pub fn mean_mos(&self) -> Option<f64> {
        (self.mos_streams > 0).then(|| self.mos_milli_sum as f64 / 1000.0 / self.mos_streams as f64)
    }

    /// Streams open now.
    pub fn streams_open(&self) -> u64 {
        self.streams_opened.saturating_sub(self.streams_closed)
    }
}

/// CPU time of the calling thread.
pub(crate) fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec we own.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0;
    }
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// 1 ns to 60 s, 3 significant digits.
pub(crate) fn echo_histogram() -> hdrhistogram::Histogram<u64> {
    hdrhistogram::Histogram::new_with_bounds(1, 60_000_000_000, 3).expect("valid histogram bounds")
}
