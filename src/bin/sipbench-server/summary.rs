//! The server's live progress line, final text summary and summary.json.

use std::path::Path;
use std::time::Duration;

use serde_json::json;
use sipbench::cli::UdpStats;
use sipbench::runtime::ShardReport;
use sipbench::sip::{Method, ParseErrorKind};

fn pct(r: &ShardReport, q: f64) -> f64 {
    if r.setup_us.is_empty() { 0.0 } else { r.setup_us.value_at_quantile(q) as f64 / 1000.0 }
}

/// One line per second: rates, gauges and setup latency.
pub fn progress_line(now: &ShardReport, last: &ShardReport, dt: Duration) -> String {
    let secs = dt.as_secs_f64().max(1e-3);
    let cps = (now.core.calls_received - last.core.calls_received) as f64 / secs;
    format!(
        "calls/s {cps:7.0} | active {:6} | completed {:8} | failed {:4} | rejected {:5} | retrans {:6} | handoffs {:8} | drops {:4} | setup p50 {:.2} ms p99 {:.2} ms | rtp in/s {:6.0} out/s {:6.0}",
        now.core.active_calls,
        now.core.calls_completed,
        now.core.calls_failed(),
        now.core.calls_rejected,
        now.core.retransmissions,
        now.handoffs_out,
        now.inbox_drops + now.send_errors,
        pct(now, 0.5),
        pct(now, 0.99),
        (now.media.packets_in - last.media.packets_in) as f64 / secs,
        (now.media.packets_out - last.media.packets_out) as f64 / secs,
    ) + &sipbench::cli::connections_progress(&now.conns)
}

/// The media lines of the summary (empty when no stream opened).
pub fn media_text(r: &ShardReport) -> String {
    let m = &r.media;
    if m.streams_opened == 0 && r.core.media_refused == 0 {
        return String::new();
    }
    format!(
        "media streams    {} opened, {} closed, {} refused 503 (no RTP ports)
rtp packets      {} in, {} out ({} / {} bytes)
rtp loss         {} lost, {} late, {} duplicate, {} malformed
rtcp             {} in, {} out
media timeouts   {} ({} calls ended)
media quality    mean MOS {:.2}, worst jitter {:.2} ms
media cpu        {:.3} s\n{}",
        m.streams_opened,
        m.streams_closed,
        r.core.media_refused,
        m.packets_in,
        m.packets_out,
        m.bytes_in,
        m.bytes_out,
        m.lost,
        m.late,
        m.duplicates,
        m.malformed,
        m.rtcp_in,
        m.rtcp_out,
        m.timeouts,
        r.core.failed_media_timeout,
        m.mean_mos().unwrap_or(0.0),
        m.jitter_us_max as f64 / 1000.0,
        m.cpu_ns as f64 / 1e9,
        sipbench::cli::srtp_text(m),
    )
}

/// The summary printed on stdout at exit.
pub fn final_text(r: &ShardReport, udp: &UdpStats, elapsed: Duration) -> String {
    let c = &r.core;
    format!(
        "== sipbench-server summary ({:.1} s)\n\
calls received   {}\ncalls answered   {}\ncalls completed  {}\ncalls failed     {} (ack timeout {}, bye failed {}, shutdown {})\n\
calls rejected   {}\ncalls cancelled  {}\noverload 503     {} (inbox delay {})
source limited   {}\ntxn limit 503    {}\npeak active      {}\n\
requests in      {}\nresponses in     {}\nmessages out     {}\nretransmissions  {}\n\
handoffs         {}\ninbox drops      {}\nsend errors      {}\nparse errors     {}\n\
udp rcvbuf errs  {}\nsetup p50/p99    {:.2} / {:.2} ms\n\
tables at exit   {} calls, {} server txns, {} client txns, {} timers\n",
        elapsed.as_secs_f64(),
        c.calls_received,
        c.calls_answered,
        c.calls_completed,
        c.calls_failed(),
        c.failed_ack_timeout,
        c.failed_bye,
        c.failed_shutdown,
        c.calls_rejected,
        c.calls_cancelled,
        c.overload_rejected,
        c.overload_by_delay,
        c.source_limited,
        c.txn_limited,
        c.peak_active_calls,
        c.requests_in,
        c.responses_in,
        c.messages_out,
        c.retransmissions,
        r.handoffs_out,
        r.inbox_drops,
        r.send_errors,
        c.parse_errors,
        udp.rcvbuf_errors,
        pct(r, 0.5),
        pct(r, 0.99),
        r.tables.calls,
        r.tables.server_txns,
        r.tables.client_txns,
        r.tables.timers,
    )
}

/// `{"INVITE": n, ...}` for methods seen at least once.
fn by_method(counts: &[u64]) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = Method::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| **n > 0)
        .map(|(m, n)| (if *m == Method::Extension { "other" } else { m.as_str() }.to_string(), json!(n)))
        .collect();
    serde_json::Value::Object(map)
}

/// `{"1xx": n, ..., "6xx": n}`.
fn by_class(counts: &[u64]) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> =
        (1..=6).map(|c| (format!("{c}xx"), json!(counts.get(c).copied().unwrap_or(0)))).collect();
    serde_json::Value::Object(map)
}

/// `{"truncated": n, ...}` over every parse error category.
fn by_reason(counts: &[u64]) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> =
        ParseErrorKind::CATEGORIES.iter().zip(counts).map(|(k, n)| (k.to_string(), json!(n))).collect();
    serde_json::Value::Object(map)
}

fn counters(r: &ShardReport) -> serde_json::Value {
    let c = &r.core;
    json!({
        "calls": {
            "received": c.calls_received, "answered": c.calls_answered, "completed": c.calls_completed, "transferred": c.calls_transferred,
            "failed": c.calls_failed(), "rejected": c.calls_rejected, "cancelled": c.calls_cancelled,
            "overload_rejected": c.overload_rejected, "overload_by_delay": c.overload_by_delay, "source_limited": c.source_limited, "txn_limited": c.txn_limited, "peak_active": c.peak_active_calls, "active": c.active_calls,
            "failed_by_reason": { "ack_timeout": c.failed_ack_timeout, "bye_failed": c.failed_bye, "shutdown": c.failed_shutdown, "media_timeout": c.failed_media_timeout, "request_timeout": c.failed_request_timeout, "transport": c.failed_transport, "session_expired": c.failed_session_expired },
            "media_refused": c.media_refused,
        },
        "messages": {
            "requests_in": c.requests_in, "responses_in": c.responses_in, "out": c.messages_out,
            "retransmissions_out": c.retransmissions, "retransmissions_in": c.retransmissions_in,
            "bad_requests_400": c.bad_requests, "unknown_dialog_481": c.unknown_dialog,
            "requests_in_by_method": by_method(&c.requests_in_by_method),
            "requests_out_by_method": by_method(&c.requests_out_by_method),
            "responses_in_by_class": by_class(&c.responses_in_by_class),
            "responses_out_by_class": by_class(&c.responses_out_by_class),
        },
        "drops": {
            "parse_errors": c.parse_errors, "parse_errors_by_reason": by_reason(&c.parse_errors_by_reason),
            "stray_responses": c.stray_responses, "stray_acks": c.stray_acks,
            "inbox_full": r.inbox_drops, "send_errors": r.send_errors, "timer_h_expired": c.timer_h_expired,
        },
        "datagrams_in": r.datagrams_in,
        "auth": { "challenged": c.auth.challenged, "accepted": c.auth.accepted, "failed": c.auth.failed,
            "stale": c.auth.stale, "replayed": c.auth.replayed, "forbidden_403": c.auth.forbidden },
        "connections": sipbench::cli::connections_json(&r.conns),
        "handoffs": { "out": r.handoffs_out, "in": r.handoffs_in },
        "tables_at_exit": { "calls": r.tables.calls, "server_txns": r.tables.server_txns,
            "client_txns": r.tables.client_txns, "timers": r.tables.timers,
            "server_txn_room": r.tables.server_txn_room },
    })
}

/// Writes `summary.json` with every counter, total and per shard.
pub fn write_json(
    dir: &Path,
    total: &ShardReport,
    shards: &[ShardReport],
    udp: &UdpStats,
    elapsed: Duration,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let doc = json!({
        "schema": "sipbench.server.summary/1",
        "elapsed_s": elapsed.as_secs_f64(),
        "total": counters(total),
        "setup_ms": { "p50": pct(total, 0.5), "p90": pct(total, 0.9), "p99": pct(total, 0.99), "max": total.setup_us.max() as f64 / 1000.0, "count": total.setup_us.len() },
        "latency_ms": super::latency::json(total),
        "udp_kernel_errors": udp,
        "media": { "totals": total.media, "mean_mos": total.media.mean_mos(), "refused_no_ports": total.core.media_refused },
        "shards": shards.iter().map(|s| json!({ "shard": s.shard, "counters": counters(s) })).collect::<Vec<_>>(),
    });
    let text = serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("summary.json"), text)
}
