//! An estimated MOS from loss and jitter: the simplified E-model (ITU-T
//! G.107 R-factor with the usual jitter and loss penalties), as VoIP
//! monitors print it. A guide, not a measurement of speech.

/// Estimated MOS (1.0–4.5) for `loss_pct` packet loss and `jitter_ms`
/// interarrival jitter, with `latency_ms` one-way delay when known.
pub fn estimated_mos(loss_pct: f64, jitter_ms: f64, latency_ms: f64) -> f64 {
    let effective = latency_ms + 2.0 * jitter_ms + 10.0;
    let delay_penalty = if effective < 160.0 { effective / 40.0 } else { (effective - 120.0) / 10.0 };
    let r = (93.2 - delay_penalty - 2.5 * loss_pct).clamp(0.0, 100.0);
    (1.0 + 0.035 * r + 7.0e-6 * r * (r - 60.0) * (100.0 - r)).clamp(1.0, 4.5)
}

#[cfg(test)]
mod tests {
    use super::estimated_mos;

    #[test]
    fn clean_media_scores_high_and_loss_lowers_it() {
        let clean = estimated_mos(0.0, 0.0, 0.0);
        assert!((4.3..=4.5).contains(&clean), "{clean}");
        let lossy = estimated_mos(5.0, 0.0, 0.0);
        let jittery = estimated_mos(0.0, 80.0, 0.0);
        assert!(lossy < clean && jittery < clean);
        assert!(estimated_mos(60.0, 200.0, 300.0) <= 1.5);
    }
}
