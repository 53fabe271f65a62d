//! The Grafana dashboard and the Prometheus scrape configuration in
//! deploy/ (issue 31) against what the server exports: every metric a
//! query names is in the scrape text of `--metrics`, every label a query
//! matches or groups by is one that metric carries (or one Prometheus adds
//! itself), and the scrape configuration's job and targets are the ones
//! the dashboard and scripts/cluster.sh use.
#![cfg(feature = "cli")]

use std::collections::{BTreeMap, BTreeSet};

use sipbench::cli::exposition;
use sipbench::runtime::ShardReport;

const DASHBOARD: &str = include_str!("../deploy/grafana/sipbench-cluster.json");
const SCRAPE: &str = include_str!("../deploy/prometheus/prometheus.yml");
/// Labels every scraped series gets from Prometheus itself.
const TARGET_LABELS: [&str; 2] = ["instance", "job"];

/// Metric name -> the label names its series carry, from the scrape text
/// of a report with every counter present (a summary's `_sum` and
/// `_count` are series of their own).
fn exported() -> BTreeMap<String, BTreeSet<String>> {
    let mut r = ShardReport::new(0);
    // Requests by method are listed only once seen.
    r.core.requests_in_by_method.iter_mut().for_each(|n| *n = 1);
    let text = exposition(&r);
    let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let series = line.split(' ').next().unwrap();
        let (name, labels) = match series.split_once('{') {
            Some((n, rest)) => (n, rest.trim_end_matches('}')),
            None => (series, ""),
        };
        let keys = names.entry(name.to_string()).or_default();
        for pair in labels.split(',').filter(|p| !p.is_empty()) {
            keys.insert(pair.split_once('=').unwrap().0.to_string());
        }
    }
    names
}

/// Every PromQL expression in the dashboard: the panels' `expr` and the
/// template variables' `label_values(...)` queries.
fn queries() -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v.as_str()) {
                        ("expr", Some(q)) => out.push(q.to_string()),
                        ("query", Some(q)) if q.starts_with("label_values(") => out.push(q.to_string()),
                        _ => walk(v, out),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let doc: serde_json::Value = serde_json::from_str(DASHBOARD).expect("the dashboard is JSON");
    let mut out = Vec::new();
    walk(&doc, &mut out);
    out
}

/// The metric names in a query with the label names each selector matches.
fn selectors(q: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = q;
    while let Some(at) = rest.find("sipbench_") {
        let tail = &rest[at..];
        let end = tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(tail.len());
        let name = tail[..end].to_string();
        let mut labels = Vec::new();
        if let Some(body) = tail[end..].strip_prefix('{') {
            let body = &body[..body.find('}').expect("a closed selector")];
            for m in body.split(',') {
                let key = m.trim().split(['=', '!']).next().unwrap().trim();
                labels.push(key.to_string());
            }
        }
        out.push((name, labels));
        rest = &tail[end..];
    }
    out
}

/// The label names of each `by (...)` clause in a query.
fn grouping(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = q;
    while let Some(at) = rest.find("by (") {
        let body = &rest[at + 4..];
        let close = body.find(')').expect("a closed by clause");
        out.extend(body[..close].split(',').map(|l| l.trim().to_string()));
        rest = &body[close..];
    }
    out
}

#[test]
fn every_query_names_metrics_and_labels_the_server_exports() {
    let exported = exported();
    let queries = queries();
    assert!(queries.len() >= 10, "panels for calls/s, active, failures, 503s, latency: {queries:?}");
    let mut used = BTreeSet::new();
    for q in &queries {
        let found = selectors(q);
        assert!(!found.is_empty() || q.starts_with("up{"), "no sipbench metric in {q}");
        let mut carried: BTreeSet<&str> = TARGET_LABELS.into_iter().collect();
        for (name, labels) in &found {
            let keys = exported.get(name).unwrap_or_else(|| panic!("{q}: the server exports no {name}"));
            for l in labels {
                assert!(
                    keys.contains(l) || TARGET_LABELS.contains(&l.as_str()),
                    "{q}: {name} has no label {l} (it has {keys:?})"
                );
            }
            carried.extend(keys.iter().map(String::as_str));
            used.insert(name.clone());
        }
        for l in grouping(q) {
            assert!(carried.contains(l.as_str()), "{q}: groups by {l}, which no series in it carries");
        }
    }
    // The panels the issue asks for: calls/s, active calls, failures by
    // cause, 503s, latency percentiles.
    for needed in [
        "sipbench_calls_received_total",
        "sipbench_active_calls",
        "sipbench_calls_failed_total",
        "sipbench_refused_total",
        "sipbench_call_setup_seconds",
    ] {
        assert!(used.contains(needed), "no panel shows {needed}");
    }
}

#[test]
fn quantiles_the_dashboard_reads_are_the_ones_the_server_writes() {
    let text = exposition(&ShardReport::new(0));
    for q in queries() {
        let mut rest = q.as_str();
        while let Some(at) = rest.find("quantile=\"") {
            let v = &rest[at + 10..];
            let v = &v[..v.find('"').unwrap()];
            assert!(text.contains(&format!("{{quantile=\"{v}\"}}")), "{q}: no quantile {v} in the scrape");
            rest = &rest[at + 10..];
        }
    }
}

#[test]
fn the_scrape_configuration_is_the_job_and_targets_the_dashboard_and_script_use() {
    assert!(SCRAPE.contains("job_name: sipbench"), "the dashboard selects job=\"sipbench\"");
    assert!(DASHBOARD.contains(r#""query": "sipbench""#), "the dashboard's job constant");
    assert!(SCRAPE.contains("metrics_path: /metrics"));
    // scripts/cluster.sh: instance i serves --metrics on 127.0.1.(10+i):9100.
    for i in 1..=3 {
        assert!(SCRAPE.contains(&format!("- 127.0.1.{}:9100", 10 + i)), "instance {i}'s target");
    }
}
