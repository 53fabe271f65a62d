//! HdrHistogram's percentile distribution text (`.hgrm`), the format of
//! Java's `outputPercentileDistribution` that HdrHistogram plotters read.

use std::fmt::Write;

use hdrhistogram::Histogram;

/// Rows per halving of the distance to 100 % (HdrHistogram's default).
const TICKS_PER_HALF_DISTANCE: u32 = 5;

/// The `.hgrm` text of `h`, values divided by `scale` (e.g. 1000.0 turns
/// µs into ms).
pub fn percentile_distribution(h: &Histogram<u64>, scale: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>12} {:>14} {:>10} {:>14}\n",
        "Value", "Percentile", "TotalCount", "1/(1-Percentile)"
    );
    let mut total = 0u64;
    for v in h.iter_quantiles(TICKS_PER_HALF_DISTANCE) {
        total += v.count_since_last_iteration();
        let (value, q) =
            (h.highest_equivalent(v.value_iterated_to()) as f64 / scale, v.quantile_iterated_to());
        if q < 1.0 {
            let _ = writeln!(out, "{value:12.3} {q:2.12} {total:10} {:14.2}", 1.0 / (1.0 - q));
        } else {
            let _ = writeln!(out, "{value:12.3} {q:2.12} {total:10}");
        }
    }
    let _ =
        writeln!(out, "#[Mean    = {:12.3}, StdDeviation   = {:12.3}]", h.mean() / scale, h.stdev() / scale);
    let _ = writeln!(out, "#[Max     = {:12.3}, Total count    = {:12}]", h.max() as f64 / scale, h.len());
    let sub_buckets = (2 * 10u64.pow(u32::from(h.sigfig()))).next_power_of_two();
    let _ = writeln!(out, "#[Buckets = {:12}, SubBuckets     = {:12}]", h.buckets(), sub_buckets);
    out
}

/// The rows of a `.hgrm` text: (value, percentile as a fraction, count).
pub fn parse_percentile_distribution(text: &str) -> Vec<(f64, f64, u64)> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let value = f.next()?.parse().ok()?;
            let q = f.next()?.parse().ok()?;
            let count = f.next()?.parse().ok()?;
            Some((value, q, count))
        })
        .collect()
}
