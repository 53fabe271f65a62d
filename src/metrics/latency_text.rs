//! A latency table like wrk2's: percentiles, mean and count per histogram.

use std::fmt::Write;

use hdrhistogram::Histogram;

/// Percentiles the table shows (max comes last, from the histogram).
const QUANTILES: [(f64, &str); 5] =
    [(0.5, "p50"), (0.9, "p90"), (0.99, "p99"), (0.999, "p99.9"), (0.9999, "p99.99")];

/// One histogram to report: its name, values, and what divides its
/// values into milliseconds (1000.0 for µs, 1e6 for ns).
pub struct Latency<'a> {
    /// Row label.
    pub name: &'a str,
    /// Recorded values.
    pub histogram: &'a Histogram<u64>,
    /// Divisor from the recorded unit to milliseconds.
    pub per_ms: f64,
}

/// The table: one row per histogram, values in ms.
pub fn latency_table(rows: &[Latency<'_>]) -> String {
    let mut out = String::new();
    let _ = write!(out, "{:<22}", "latency (ms)");
    for (_, label) in QUANTILES {
        let _ = write!(out, " {label:>9}");
    }
    let _ = writeln!(out, " {:>9} {:>9} {:>10}", "max", "mean", "count");
    for r in rows {
        let h = r.histogram;
        let _ = write!(out, "{:<22}", r.name);
        for (q, _) in QUANTILES {
            let v = if h.is_empty() { 0.0 } else { h.value_at_quantile(q) as f64 / r.per_ms };
            let _ = write!(out, " {v:>9.3}");
        }
        let (max, mean) =
            if h.is_empty() { (0.0, 0.0) } else { (h.max() as f64 / r.per_ms, h.mean() / r.per_ms) };
        let _ = writeln!(out, " {max:>9.3} {mean:>9.3} {:>10}", h.len());
    }
    out
}
