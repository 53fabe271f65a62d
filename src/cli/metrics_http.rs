//! The Prometheus scrape endpoint (`--metrics ADDR`): a thread that
//! answers `GET /metrics` with the shards' last published reports merged.
//! It reads only what the shards publish under their cold locks.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use crate::metrics::Exposition;
use crate::runtime::{ReportHandle, ShardReport};
use crate::sip::{Method, ParseErrorKind};

/// The scrape text for a merged report.
pub fn exposition(r: &ShardReport) -> String {
    let c = &r.core;
    let mut e = Exposition::default();
    e.counter("sipbench_calls_received_total", "New INVITEs that created a call.", c.calls_received);
    e.counter("sipbench_calls_answered_total", "Calls answered with 2xx.", c.calls_answered);
    e.counter("sipbench_calls_completed_total", "Calls ended by a BYE exchange.", c.calls_completed);
    e.counter(
        "sipbench_calls_transferred_total",
        "Completed calls transferred by REFER.",
        c.calls_transferred,
    );
    e.counter("sipbench_calls_rejected_total", "Calls rejected by policy.", c.calls_rejected);
    e.counter("sipbench_calls_cancelled_total", "Calls cancelled by the caller.", c.calls_cancelled);
    let failed = [
        ("ack_timeout", c.failed_ack_timeout),
        ("bye_failed", c.failed_bye),
        ("shutdown", c.failed_shutdown),
        ("media_timeout", c.failed_media_timeout),
        ("request_timeout", c.failed_request_timeout),
        ("transport", c.failed_transport),
        ("session_expired", c.failed_session_expired),
    ];
    e.counter_by("sipbench_calls_failed_total", "Calls that failed, by reason.", "reason", &failed);
    let refused = [
        ("overload", c.overload_rejected - c.overload_by_delay),
        ("inbox_delay", c.overload_by_delay),
        ("source_limit", c.source_limited),
        ("transaction_limit", c.txn_limited),
    ];
    e.counter_by(
        "sipbench_refused_total",
        "New requests refused (503) or dropped, by cause.",
        "cause",
        &refused,
    );
    let auth = [
        ("challenged", c.auth.challenged),
        ("accepted", c.auth.accepted),
        ("failed", c.auth.failed),
        ("stale", c.auth.stale),
        ("replayed", c.auth.replayed),
        ("forbidden", c.auth.forbidden),
    ];
    e.counter_by("sipbench_auth_total", "Digest authentication of requests, by outcome.", "outcome", &auth);
    let methods: Vec<(&str, u64)> = Method::ALL
        .iter()
        .zip(c.requests_in_by_method)
        .map(|(m, n)| (m.as_str(), n))
        .filter(|p| p.1 > 0)
        .collect();
    e.counter_by("sipbench_requests_received_total", "Requests received, by method.", "method", &methods);
    let classes = ["1xx", "2xx", "3xx", "4xx", "5xx", "6xx"];
    let sent: Vec<(&str, u64)> =
        classes.iter().copied().zip(c.responses_out_by_class[1..].iter().copied()).collect();
    e.counter_by("sipbench_responses_sent_total", "Responses sent, by class.", "class", &sent);
    e.counter("sipbench_retransmissions_sent_total", "Requests and responses we re-sent.", c.retransmissions);
    e.counter(
        "sipbench_retransmissions_received_total",
        "Retransmitted requests absorbed.",
        c.retransmissions_in,
    );
    let reasons: Vec<(&str, u64)> =
        ParseErrorKind::CATEGORIES.iter().copied().zip(c.parse_errors_by_reason.iter().copied()).collect();
    e.counter_by(
        "sipbench_parse_errors_total",
        "Datagrams that did not parse, by cause.",
        "reason",
        &reasons,
    );
    e.counter("sipbench_datagrams_received_total", "Datagrams read from the sockets.", r.datagrams_in);
    e.counter("sipbench_handoffs_total", "Datagrams handed to their Call-ID's shard.", r.handoffs_out);
    e.counter("sipbench_inbox_drops_total", "Hand-offs dropped on a full inbox.", r.inbox_drops);
    e.counter("sipbench_send_errors_total", "Datagrams the kernel refused to send.", r.send_errors);
    super::connections_metrics(&mut e, &r.conns);
    e.gauge("sipbench_active_calls", "Calls up now.", c.active_calls as f64);
    e.gauge("sipbench_server_transactions", "Live server transactions.", r.tables.server_txns as f64);
    e.gauge("sipbench_timers", "Armed protocol timers.", r.tables.timers as f64);
    e.summary_seconds("sipbench_call_setup_seconds", "INVITE received to 200 sent.", &r.setup_us, 1e6);
    let placed = "INVITE sent to 2xx received (calls we place).";
    e.summary_seconds("sipbench_placed_call_setup_seconds", placed, &r.placed_setup_us, 1e6);
    e.summary_seconds(
        "sipbench_invite_first_response_seconds",
        "INVITE received to its first response (100, 180 or final) queued.",
        &r.invite_response_ns,
        1e9,
    );
    e.summary_seconds(
        "sipbench_message_service_seconds",
        "Datagram received to responses queued.",
        &r.service_ns,
        1e9,
    );
    e.summary_seconds(
        "sipbench_inbox_delay_seconds",
        "Wait of handed-off datagrams.",
        &r.inbox_delay_ns,
        1e9,
    );
    e.finish()
}

/// Binds `addr` and serves scrapes on a thread of its own; returns the
/// bound address. One connection at a time, each bounded by timeouts.
pub fn serve_metrics(addr: SocketAddr, reports: ReportHandle) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind(addr)?;
    let local = listener.local_addr()?;
    std::thread::Builder::new().name("metrics".into()).spawn(move || {
        for stream in listener.incoming().flatten() {
            if let Err(e) = answer(stream, &reports) {
                tracing::debug!("metrics scrape failed: {e}");
            }
        }
    })?;
    Ok(local)
}

fn answer(stream: TcpStream, reports: &ReportHandle) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    stream.set_write_timeout(Some(Duration::from_secs(2)))?;
    // Read the whole request head (bounded), so closing never resets the
    // connection under the client's feet.
    let mut reader = BufReader::new((&stream).take(8192));
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let (status, body) = if line.starts_with("GET /metrics ") || line.starts_with("GET / ") {
        ("200 OK", exposition(&reports.merged()))
    } else {
        ("404 Not Found", "GET /metrics\n".to_string())
    };
    let mut s = &stream;
    write!(
        s,
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}
