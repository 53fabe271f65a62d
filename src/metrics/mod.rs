//! Metrics shared by the layers: latency histograms (hdrhistogram) and
//! their report formats (`.hgrm`, the percentile table, Prometheus text;
//! SVG plots with the `cli` feature).

mod hgrm;
mod latency_text;
#[cfg(feature = "cli")]
mod plot;
mod prometheus;

use hdrhistogram::Histogram;

pub use hgrm::{parse_percentile_distribution, percentile_distribution};
pub use latency_text::{Latency, latency_table};
#[cfg(feature = "cli")]
pub use plot::{Sample, plot_percentiles, plot_timeline};
pub use prometheus::Exposition;

/// A histogram for latencies in µs: 1 µs to 1 h, 3 significant digits.
pub fn latency_histogram() -> Histogram<u64> {
    bounded(3_600_000_000)
}

/// A histogram for short latencies in ns: 1 ns to 60 s, 3 significant digits.
pub fn nanos_histogram() -> Histogram<u64> {
    bounded(60_000_000_000)
}

fn bounded(high: u64) -> Histogram<u64> {
    // Constant bounds that hdrhistogram accepts; auto-resize is a fallback.
    Histogram::new_with_bounds(1, high, 3).unwrap_or_else(|_| {
        let mut h = Histogram::new(3).expect("3 significant figures is valid");
        h.auto(true);
        h
    })
}
