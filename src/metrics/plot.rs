//! SVG plots of a run (plotters' SVG backend): latency by percentile on a
//! log scale, and calls/s, active calls and failures over time.

use std::path::Path;

use hdrhistogram::Histogram;
use plotters::coord::Shift;
use plotters::coord::ranged1d::AsRangedCoord;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::Latency;

/// One second of a run, as the collector sampled it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Seconds since start.
    pub t_s: f64,
    /// New calls per second over the last interval.
    pub calls_per_s: f64,
    /// Active calls at the sample.
    pub active: u64,
    /// Failed calls so far.
    pub failed: u64,
}

const COLORS: [RGBColor; 4] =
    [RGBColor(31, 119, 180), RGBColor(214, 39, 40), RGBColor(44, 160, 44), RGBColor(148, 103, 189)];
/// The x axis runs to 99.9999 %: 1/(1-q) up to 10^6.
const X_MAX: f64 = 1e6;

fn error(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// "99.9%" for x = 1000: the percentile at 1/(1-q) = x, no float noise.
fn percent_label(x: f64) -> String {
    let p = format!("{:.4}", 100.0 * (1.0 - 1.0 / x));
    format!("{}%", p.trim_end_matches('0').trim_end_matches('.'))
}

/// (1/(1-q), value in ms) points of a histogram, q below 1.
fn percentile_points(h: &Histogram<u64>, per_ms: f64) -> Vec<(f64, f64)> {
    h.iter_quantiles(5)
        .map(|v| (v.quantile_iterated_to(), h.highest_equivalent(v.value_iterated_to()) as f64 / per_ms))
        .filter(|(q, _)| *q < 1.0)
        .map(|(q, v)| ((1.0 / (1.0 - q)).min(X_MAX), v))
        .collect()
}

/// Latency (ms) against percentile (log scale), one line per histogram.
pub fn plot_percentiles(path: &Path, title: &str, rows: &[Latency<'_>]) -> std::io::Result<()> {
    let series: Vec<(&str, Vec<(f64, f64)>)> =
        rows.iter().map(|r| (r.name, percentile_points(r.histogram, r.per_ms))).collect();
    let y_max = series.iter().flat_map(|(_, p)| p.iter().map(|p| p.1)).fold(0.0, f64::max).max(0.001) * 1.1;
    let root = canvas(path)?;
    let mut chart = frame(&root, title, (1f64..X_MAX).log_scale(), y_max)?;
    chart
        .configure_mesh()
        .x_desc("percentile")
        .y_desc("latency (ms)")
        .x_label_formatter(&|x| percent_label(*x))
        .draw()
        .map_err(error)?;
    draw_lines(&mut chart, series)?;
    root.present().map_err(error)
}

/// Calls/s, active calls and failures (cumulative) over the run.
pub fn plot_timeline(path: &Path, title: &str, samples: &[Sample]) -> std::io::Result<()> {
    let t_max = samples.last().map_or(1.0, |s| s.t_s).max(1.0);
    let y_max =
        samples.iter().map(|s| s.calls_per_s.max(s.active as f64).max(s.failed as f64)).fold(1.0, f64::max)
            * 1.1;
    let root = canvas(path)?;
    let mut chart = frame(&root, title, 0f64..t_max, y_max)?;
    chart.configure_mesh().x_desc("seconds").y_desc("calls").draw().map_err(error)?;
    type Pick = fn(&Sample) -> f64;
    let lines: [(&str, Pick); 3] = [
        ("calls/s", |s| s.calls_per_s),
        ("active calls", |s| s.active as f64),
        ("failed (total)", |s| s.failed as f64),
    ];
    let series = lines.map(|(name, pick)| (name, samples.iter().map(|s| (s.t_s, pick(s))).collect()));
    draw_lines(&mut chart, series)?;
    root.present().map_err(error)
}

/// A white 960×540 SVG drawing area.
fn canvas(path: &Path) -> std::io::Result<DrawingArea<SVGBackend<'_>, Shift>> {
    let root = SVGBackend::new(path, (960, 540)).into_drawing_area();
    root.fill(&WHITE).map_err(error)?;
    Ok(root)
}

/// A captioned chart on `root` over `x` and 0..`y_max`.
fn frame<'a, 'b, X: AsRangedCoord<Value = f64>>(
    root: &'a DrawingArea<SVGBackend<'b>, Shift>,
    title: &str,
    x: X,
    y_max: f64,
) -> std::io::Result<ChartContext<'a, SVGBackend<'b>, Cartesian2d<X::CoordDescType, RangedCoordf64>>> {
    ChartBuilder::on(root)
        .caption(title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(x, 0f64..y_max)
        .map_err(error)
}

/// One coloured, labelled line per series, then the legend.
fn draw_lines<'b, 'a, DB: DrawingBackend + 'b, X: Ranged<ValueType = f64>>(
    chart: &mut ChartContext<'b, DB, Cartesian2d<X, RangedCoordf64>>,
    series: impl IntoIterator<Item = (&'a str, Vec<(f64, f64)>)>,
) -> std::io::Result<()> {
    for (i, (name, points)) in series.into_iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(error)?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    chart.configure_series_labels().border_style(BLACK).background_style(WHITE).draw().map_err(error)
}
