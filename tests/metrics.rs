//! The latency report formats: `.hgrm` text parses back to the recorded
//! percentiles, and the table shows each histogram's figures.

use sipbench::metrics::{
    Latency, latency_histogram, latency_table, parse_percentile_distribution, percentile_distribution,
};

/// 1..=10,000 µs once each: a known distribution.
fn uniform() -> hdrhistogram::Histogram<u64> {
    let mut h = latency_histogram();
    for v in 1..=10_000u64 {
        h.record(v).unwrap();
    }
    h
}

#[test]
fn hgrm_rows_give_back_the_recorded_percentiles() {
    let h = uniform();
    let text = percentile_distribution(&h, 1000.0);
    assert!(text.starts_with("       Value     Percentile TotalCount 1/(1-Percentile)\n\n"), "{text}");
    let rows = parse_percentile_distribution(&text);
    assert!(rows.len() > 50, "{} rows:\n{text}", rows.len());
    for &(value_ms, q, count) in &rows {
        // Equal to the histogram's own answer within one bucket's width.
        let expect = h.value_at_quantile(q);
        let slack = (h.equivalent_range(expect) + 1) as f64 / 1000.0;
        let expect = expect as f64 / 1000.0;
        assert!((value_ms - expect).abs() <= slack, "q {q}: {value_ms} ms, histogram says {expect}");
        assert!(count <= 10_000);
    }
    let last = rows.last().unwrap();
    assert_eq!((last.1, last.2), (1.0, 10_000));
    let median = rows.iter().find(|r| r.1 >= 0.5).unwrap();
    assert!((median.0 - 5.0).abs() < 0.01, "median {} ms", median.0);
    assert!(text.contains("#[Max     =       10.007, Total count    =        10000]"), "{text}");
}

#[test]
fn table_shows_percentiles_mean_and_count() {
    let h = uniform();
    let empty = latency_histogram();
    let text = latency_table(&[
        Latency { name: "uniform", histogram: &h, per_ms: 1000.0 },
        Latency { name: "nothing", histogram: &empty, per_ms: 1000.0 },
    ]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    for col in ["p50", "p90", "p99", "p99.9", "p99.99", "max", "mean", "count"] {
        assert!(lines[0].contains(col), "{text}");
    }
    let cells: Vec<f64> = lines[1].split_whitespace().skip(1).map(|c| c.parse().unwrap()).collect();
    // p50 p90 p99 p99.9 p99.99 max mean count
    assert!((cells[0] - 5.0).abs() < 0.01 && (cells[2] - 9.9).abs() < 0.01, "{text}");
    assert!((cells[5] - 10.0).abs() < 0.01 && (cells[6] - 5.0).abs() < 0.01, "{text}");
    assert_eq!(cells[7], 10_000.0);
    assert!(lines[2].trim_end().ends_with(" 0"), "{text}");
}

/// Parses an SVG file as XML; returns the text of its `<text>` elements
/// and how many `<polyline>` elements it has.
fn svg_texts_and_lines(path: &std::path::Path) -> (Vec<String>, usize) {
    let svg = std::fs::read_to_string(path).expect("svg written");
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts =
        doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).map(str::to_string);
    let lines = doc.descendants().filter(|n| n.has_tag_name("polyline")).count();
    (texts.collect(), lines)
}

#[test]
fn percentile_plot_is_svg_with_a_labelled_line_per_histogram() {
    let (a, b) = (uniform(), {
        let mut h = latency_histogram();
        h.record_n(2_000, 500).unwrap();
        h
    });
    let dir = std::env::temp_dir().join(format!("sipbench-plot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("latency.svg");
    let rows = [
        Latency { name: "call_setup", histogram: &a, per_ms: 1000.0 },
        Latency { name: "message_service", histogram: &b, per_ms: 1000.0 },
    ];
    sipbench::metrics::plot_percentiles(&path, "latency by percentile", &rows).unwrap();
    let (texts, lines) = svg_texts_and_lines(&path);
    for want in ["latency by percentile", "call_setup", "message_service", "latency (ms)", "99%"] {
        assert!(texts.iter().any(|t| t.contains(want)), "no {want:?} in {texts:?}");
    }
    assert!(lines >= 2, "{lines} polylines");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn timeline_plot_has_rate_active_and_failures() {
    let samples: Vec<sipbench::metrics::Sample> = (1..=30)
        .map(|t| sipbench::metrics::Sample {
            t_s: f64::from(t),
            calls_per_s: 400.0,
            active: (t.min(3) * 400) as u64,
            failed: 0,
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("sipbench-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("timeline.svg");
    sipbench::metrics::plot_timeline(&path, "run", &samples).unwrap();
    let (texts, lines) = svg_texts_and_lines(&path);
    for want in ["calls/s", "active calls", "failed (total)", "seconds"] {
        assert!(texts.iter().any(|t| t.contains(want)), "no {want:?} in {texts:?}");
    }
    assert!(lines >= 3, "{lines} polylines");
    let _ = std::fs::remove_dir_all(&dir);
}
