//! The server's latency outputs: the wrk2-like table printed at exit, one
//! `.hgrm` file and plot per histogram, the timeline plot and the
//! percentiles in summary.json.

use std::path::Path;

use hdrhistogram::Histogram;
use serde_json::json;
use sipbench::metrics::{
    Latency, Sample, latency_table, percentile_distribution, plot_percentiles, plot_timeline,
};
use sipbench::runtime::ShardReport;

/// Each histogram with its file stem and its unit's divisor to ms (media
/// echo only when media ran).
fn histograms(r: &ShardReport) -> Vec<(&'static str, &Histogram<u64>, f64)> {
    let mut all = vec![
        ("call_setup", &r.setup_us, 1e3),
        ("invite_first_response", &r.invite_response_ns, 1e6),
        ("message_service", &r.service_ns, 1e6),
        ("inbox_delay", &r.inbox_delay_ns, 1e6),
    ];
    if !r.media_echo_ns.is_empty() {
        all.push(("media_echo", &r.media_echo_ns, 1e6));
    }
    all
}

fn rows(r: &ShardReport) -> Vec<Latency<'_>> {
    histograms(r).into_iter().map(|(name, histogram, per_ms)| Latency { name, histogram, per_ms }).collect()
}

/// The table printed at exit.
pub fn table(r: &ShardReport) -> String {
    latency_table(&rows(r))
}

/// `{"call_setup": {"count": n, "mean": ms, "p50": ms, ...}, ...}`.
pub fn json(r: &ShardReport) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (name, h, per_ms) in histograms(r) {
        let at = |q: f64| if h.is_empty() { 0.0 } else { h.value_at_quantile(q) as f64 / per_ms };
        let mean = if h.is_empty() { 0.0 } else { h.mean() / per_ms };
        map.insert(
            name.to_string(),
            json!({
                "count": h.len(), "mean": mean, "p50": at(0.5), "p90": at(0.9), "p99": at(0.99),
                "p99_9": at(0.999), "p99_99": at(0.9999), "max": h.max() as f64 / per_ms,
            }),
        );
    }
    serde_json::Value::Object(map)
}

/// Writes `<name>.hgrm` (values in ms) and `<name>.svg` (latency by
/// percentile) for each histogram, `latency.svg` with all of them,
/// `timeline.svg` from the per-second samples, and the table as
/// `latency.txt`.
pub fn write_files(dir: &Path, r: &ShardReport, samples: &[Sample]) -> std::io::Result<()> {
    for row in rows(r) {
        std::fs::write(
            dir.join(format!("{}.hgrm", row.name)),
            percentile_distribution(row.histogram, row.per_ms),
        )?;
        let title = format!("{} latency by percentile", row.name);
        plot_percentiles(&dir.join(format!("{}.svg", row.name)), &title, std::slice::from_ref(&row))?;
    }
    plot_percentiles(&dir.join("latency.svg"), "sipbench-server latency by percentile", &rows(r))?;
    plot_timeline(&dir.join("timeline.svg"), "sipbench-server calls over time", samples)?;
    std::fs::write(dir.join("latency.txt"), table(r))
}
