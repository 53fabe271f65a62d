//! Prometheus text exposition format (version 0.0.4): counters, gauges
//! and latency summaries, written by name with HELP and TYPE lines.

use std::fmt::Write;

use hdrhistogram::Histogram;

/// Quantiles every summary carries.
const QUANTILES: [f64; 5] = [0.5, 0.9, 0.99, 0.999, 0.9999];

/// A scrape's text, built metric by metric.
#[derive(Default)]
pub struct Exposition {
    out: String,
}

impl Exposition {
    fn head(&mut self, name: &str, help: &str, kind: &str) {
        let _ = writeln!(self.out, "# HELP {name} {help}\n# TYPE {name} {kind}");
    }

    /// A monotonic counter.
    pub fn counter(&mut self, name: &str, help: &str, value: u64) {
        self.head(name, help, "counter");
        let _ = writeln!(self.out, "{name} {value}");
    }

    /// A counter split by one label: `name{label="key"} value`.
    pub fn counter_by(&mut self, name: &str, help: &str, label: &str, values: &[(&str, u64)]) {
        self.head(name, help, "counter");
        for (key, value) in values {
            let _ = writeln!(self.out, "{name}{{{label}=\"{key}\"}} {value}");
        }
    }

    /// A value that goes up and down.
    pub fn gauge(&mut self, name: &str, help: &str, value: f64) {
        self.head(name, help, "gauge");
        let _ = writeln!(self.out, "{name} {value}");
    }

    /// A gauge split by one label.
    pub fn gauge_by(&mut self, name: &str, help: &str, label: &str, values: &[(&str, f64)]) {
        self.head(name, help, "gauge");
        for (key, value) in values {
            let _ = writeln!(self.out, "{name}{{{label}=\"{key}\"}} {value}");
        }
    }

    /// A latency summary in seconds from a histogram whose values are
    /// `per_second` to the second (1e6 for µs, 1e9 for ns).
    pub fn summary_seconds(&mut self, name: &str, help: &str, h: &Histogram<u64>, per_second: f64) {
        self.head(name, help, "summary");
        for q in QUANTILES {
            let v = if h.is_empty() { 0.0 } else { h.value_at_quantile(q) as f64 / per_second };
            let _ = writeln!(self.out, "{name}{{quantile=\"{q}\"}} {v}");
        }
        let sum = if h.is_empty() { 0.0 } else { h.mean() * h.len() as f64 / per_second };
        let _ = writeln!(self.out, "{name}_sum {sum}\n{name}_count {}", h.len());
    }

    /// The finished text.
    pub fn finish(self) -> String {
        self.out
    }
}
