//! The client's live progress line, final text, summary.json and latency
//! files (call setup: INVITE sent → 2xx received).

use std::path::Path;
use std::time::Duration;

use serde_json::json;
use sipbench::UacStats;
use sipbench::metrics::{
    Latency, Sample, latency_table, percentile_distribution, plot_percentiles, plot_timeline,
};
use sipbench::runtime::ShardReport;

fn pct(r: &ShardReport, q: f64) -> f64 {
    if r.placed_setup_us.is_empty() { 0.0 } else { r.placed_setup_us.value_at_quantile(q) as f64 / 1000.0 }
}

/// One line per second.
pub fn progress_line(now: &ShardReport, last: &ShardReport, dt: Duration) -> String {
    let (u, secs) = (&now.core.uac, dt.as_secs_f64().max(1e-3));
    let cps = (u.placed - last.core.uac.placed) as f64 / secs;
    format!(
        "calls/s {cps:7.0} | placed {:8} | active {:6} | answered {:8} | completed {:8} | cancelled {:6} | rejected {:5} | failed {:4} | retrans {:6} | setup p50 {:.2} ms p99 {:.2} ms",
        u.placed,
        now.core.active_calls,
        u.answered,
        u.completed,
        u.cancelled,
        u.rejected,
        u.failed(),
        now.core.retransmissions,
        pct(now, 0.5),
        pct(now, 0.99),
    ) + &sipbench::cli::connections_progress(&now.conns)
}

fn outcomes(u: &UacStats) -> serde_json::Value {
    let codes: serde_json::Map<String, serde_json::Value> =
        u.rejected_by_code.iter().map(|(c, n)| (c.to_string(), n.into())).collect();
    json!({
        "placed": u.placed, "answered": u.answered, "completed": u.completed, "cancelled": u.cancelled,
        "rejected": u.rejected, "rejected_by_code": codes, "failed": u.failed(),
        "failed_by_reason": { "invite_timeout": u.failed_invite_timeout, "transport": u.failed_transport,
            "bye_failed": u.failed_bye, "other": u.failed_other },
        "forks_released": u.forks_released, "auth_retries": u.auth_retries, "pracks_sent": u.pracks_sent,
    })
}

/// The summary printed at exit.
pub fn final_text(r: &ShardReport, elapsed: Duration) -> String {
    let u = &r.core.uac;
    let mut s = format!(
        "sipbench-client: {:.1} s, {} calls placed ({:.0}/s)\n  answered {}  completed {}  cancelled {}  rejected {}  failed {} (invite timeout {}, transport {}, bye {}, other {})\n",
        elapsed.as_secs_f64(),
        u.placed,
        u.placed as f64 / elapsed.as_secs_f64().max(1e-3),
        u.answered,
        u.completed,
        u.cancelled,
        u.rejected,
        u.failed(),
        u.failed_invite_timeout,
        u.failed_transport,
        u.failed_bye,
        u.failed_other,
    );
    for (code, n) in u.rejected_by_code.iter() {
        s += &format!("  rejected with {code}: {n}\n");
    }
    s += &format!(
        "  retransmissions {}  hand-offs {}  drops {}  forks released {}  auth retries {}  PRACKs {}\n",
        r.core.retransmissions,
        r.handoffs_out,
        r.inbox_drops + r.send_errors,
        u.forks_released,
        u.auth_retries,
        u.pracks_sent
    );
    s += &sipbench::cli::connections_text(&r.conns);
    s += &sipbench::cli::media_summary_text(&r.media);
    s + &latency_table(&[setup_row(r)])
}

fn setup_row(r: &ShardReport) -> Latency<'_> {
    Latency { name: "call_setup", histogram: &r.placed_setup_us, per_ms: 1e3 }
}

/// summary.json, call_setup.hgrm/.svg, timeline.svg and latency.txt.
pub fn write(dir: &Path, total: &ShardReport, samples: &[Sample], elapsed: Duration) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let doc = json!({
        "schema": "sipbench.client.summary/1",
        "elapsed_s": elapsed.as_secs_f64(),
        "calls": outcomes(&total.core.uac),
        "setup_ms": { "p50": pct(total, 0.5), "p90": pct(total, 0.9), "p99": pct(total, 0.99),
            "max": total.placed_setup_us.max() as f64 / 1000.0, "count": total.placed_setup_us.len() },
        "retransmissions": total.core.retransmissions,
        "handoffs": total.handoffs_out,
        "drops": total.inbox_drops + total.send_errors,
        "messages_out": total.core.messages_out,
        "connections": sipbench::cli::connections_json(&total.conns),
        "media": { "totals": total.media, "mean_mos": total.media.mean_mos() },
    });
    let text = serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("summary.json"), text)?;
    let row = setup_row(total);
    std::fs::write(dir.join("call_setup.hgrm"), percentile_distribution(row.histogram, row.per_ms))?;
    plot_percentiles(
        &dir.join("call_setup.svg"),
        "call setup latency by percentile",
        std::slice::from_ref(&row),
    )?;
    plot_timeline(&dir.join("timeline.svg"), "sipbench-client calls over time", samples)?;
    std::fs::write(dir.join("latency.txt"), latency_table(&[row]))
}
