//! The run loop both binaries share: wait until the run ends (a signal,
//! `--run-for`, or the binary's own end), and once a second sample the
//! counters for the timeline plot and print the live progress line.

use std::time::{Duration, Instant};

use super::signals::signalled;
use crate::Engine;
use crate::metrics::Sample;
use crate::runtime::ShardReport;

/// What the run loop reads from one binary's point of view.
pub trait Watched {
    /// How often the loop wakes to check whether the run is over.
    fn tick(&self) -> Duration;
    /// Calls started so far (received by a server, placed by a client):
    /// the samples' calls/s is its growth.
    fn calls(&self, r: &ShardReport) -> u64;
    /// Calls failed so far.
    fn failed(&self, r: &ShardReport) -> u64;
    /// The live line printed each second.
    fn progress_line(&self, now: &ShardReport, last: &ShardReport, dt: Duration) -> String;
    /// Whether the run is over by itself (the client: every call placed
    /// and ended). Checked every tick.
    fn finished(&self, _engine: &Engine) -> bool {
        false
    }
}

/// What a run left for the final reports.
#[derive(Debug)]
pub struct Run {
    /// When the loop started.
    pub started: Instant,
    /// One sample a second.
    pub samples: Vec<Sample>,
    /// The most calls up at once, sampled every tick (per-shard peaks
    /// cannot be summed).
    pub peak_active: u64,
}

/// Runs until SIGINT/SIGTERM, `run_for`, or `role.finished`; prints the
/// progress line each second unless `quiet`.
pub fn watch(engine: &Engine, role: &impl Watched, run_for: Option<Duration>, quiet: bool) -> Run {
    let started = Instant::now();
    // Refilled in place (`Engine::stats_into`), histograms only for the
    // progress line.
    let (mut now, mut last) = (ShardReport::new(usize::MAX), ShardReport::new(usize::MAX));
    let mut last_tick = Instant::now();
    let (mut samples, mut peak_active) = (Vec::new(), 0);
    loop {
        std::thread::sleep(role.tick());
        peak_active = peak_active.max(engine.active_calls());
        if signalled() || run_for.is_some_and(|d| started.elapsed() >= d) || role.finished(engine) {
            break;
        }
        if last_tick.elapsed() >= Duration::from_secs(1) {
            engine.stats_into(&mut now, !quiet);
            let dt = last_tick.elapsed();
            samples.push(Sample {
                t_s: started.elapsed().as_secs_f64(),
                calls_per_s: (role.calls(&now) - role.calls(&last)) as f64 / dt.as_secs_f64(),
                active: now.core.active_calls,
                failed: role.failed(&now),
            });
            if !quiet {
                eprintln!("{}", role.progress_line(&now, &last, dt));
            }
            std::mem::swap(&mut now, &mut last);
            last_tick = Instant::now();
        }
    }
    Run { started, samples, peak_active }
}
