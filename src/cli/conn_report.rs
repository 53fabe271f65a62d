//! TCP/TLS connection counters in every report: summary.json, the text
//! summary, the progress line and Prometheus.

use serde_json::{Value, json};

use crate::metrics::Exposition;
use crate::transport::stream::{CloseCause, RefuseCause};
use crate::{ConnStats, Transport};

const STREAMS: [Transport; 2] = [Transport::Tcp, Transport::Tls];

fn by_transport(a: &[u64; 3]) -> Value {
    json!({ "tcp": a[Transport::Tcp.index()], "tls": a[Transport::Tls.index()] })
}

/// `connections` in summary.json.
pub fn connections_json(c: &ConnStats) -> Value {
    let closed: serde_json::Map<String, Value> =
        CloseCause::ALL.iter().map(|k| (k.name().to_string(), json!(c.closed_by(*k)))).collect();
    let refused: serde_json::Map<String, Value> =
        RefuseCause::ALL.iter().map(|k| (k.name().to_string(), json!(c.refused_by(*k)))).collect();
    json!({
        "accepted": by_transport(&c.accepted), "opened": by_transport(&c.opened), "open": by_transport(&c.open),
        "refused_by_cause": refused, "closed_by_cause": closed,
        "messages_in": c.messages_in, "pings_answered": c.pings, "undeliverable": c.undeliverable,
    })
}

/// The summary's connection lines (empty when no connection was seen).
pub fn connections_text(c: &ConnStats) -> String {
    let seen: u64 = c.accepted.iter().chain(&c.opened).sum::<u64>() + c.refused_total();
    if seen == 0 {
        return String::new();
    }
    let causes = |names: Vec<(&str, u64)>| {
        names.into_iter().filter(|p| p.1 > 0).map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
    };
    let closed = causes(CloseCause::ALL.iter().map(|k| (k.name(), c.closed_by(*k))).collect());
    let refused = causes(RefuseCause::ALL.iter().map(|k| (k.name(), c.refused_by(*k))).collect());
    let t = |a: &[u64; 3]| format!("tcp {} tls {}", a[1], a[2]);
    format!(
        "connections      accepted {}, opened {}, open {}\nconns refused    {} ({refused})\nconns closed     {} ({closed})\nstream messages  {} in, {} pings answered, {} undeliverable\n",
        t(&c.accepted),
        t(&c.opened),
        t(&c.open),
        c.refused_total(),
        c.closed.iter().sum::<u64>(),
        c.messages_in,
        c.pings,
        c.undeliverable,
    )
}

/// The progress line's part: open connections, refusals and abnormal
/// closes so far.
pub fn connections_progress(c: &ConnStats) -> String {
    format!(
        " | conns tcp {} tls {} refused {} closed bad {}",
        c.open_on(Transport::Tcp),
        c.open_on(Transport::Tls),
        c.refused_total(),
        c.closed_abnormally()
    )
}

/// The Prometheus metrics of connections.
pub fn connections_metrics(e: &mut Exposition, c: &ConnStats) {
    let open: Vec<(&str, f64)> = STREAMS.iter().map(|t| (t.name(), c.open_on(*t) as f64)).collect();
    e.gauge_by(
        "sipbench_connections_open",
        "TCP/TLS connections open now, by transport.",
        "transport",
        &open,
    );
    let accepted: Vec<(&str, u64)> = STREAMS.iter().map(|t| (t.name(), c.accepted[t.index()])).collect();
    e.counter_by(
        "sipbench_connections_accepted_total",
        "Connections accepted, by transport.",
        "transport",
        &accepted,
    );
    let opened: Vec<(&str, u64)> = STREAMS.iter().map(|t| (t.name(), c.opened[t.index()])).collect();
    e.counter_by(
        "sipbench_connections_opened_total",
        "Connections we opened, by transport.",
        "transport",
        &opened,
    );
    let refused: Vec<(&str, u64)> = RefuseCause::ALL.iter().map(|k| (k.name(), c.refused_by(*k))).collect();
    e.counter_by(
        "sipbench_connections_refused_total",
        "Connections refused at accept, by cause.",
        "cause",
        &refused,
    );
    let closed: Vec<(&str, u64)> = CloseCause::ALL.iter().map(|k| (k.name(), c.closed_by(*k))).collect();
    e.counter_by("sipbench_connections_closed_total", "Connections closed, by cause.", "cause", &closed);
    e.counter("sipbench_stream_messages_received_total", "Messages framed off connections.", c.messages_in);
}
