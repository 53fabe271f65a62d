//! Metrics shared by the layers: latency histograms (hdrhistogram).

use hdrhistogram::Histogram;

/// A histogram for latencies in µs: 1 µs to 1 h, 3 significant digits.
pub fn latency_histogram() -> Histogram<u64> {
    // Constant bounds that hdrhistogram accepts; auto-resize is a fallback.
    Histogram::new_with_bounds(1, 3_600_000_000, 3).unwrap_or_else(|_| {
        let mut h = Histogram::new(3).expect("3 significant figures is valid");
        h.auto(true);
        h
    })
}
