//! sipbench-server: a SIP UAS on sharded threads.
//!
//! Example: `sipbench-server --listen 127.0.0.1:5060 --shards 2 --ring-ms 100 --report reports/run1`

use std::time::{Duration, Instant};

use clap::Parser;
use sipbench::metrics::Sample;
use sipbench::{
    Engine, PolicyHandler, ShardReport, install_signal_handlers, read_udp_stats, serve_metrics, signalled,
};

#[path = "server/args.rs"]
mod args;
#[path = "server/latency.rs"]
mod latency;
#[path = "server/summary.rs"]
mod summary;

use args::Args;

fn main() {
    let args = Args::parse();
    tracing_subscriber::fmt().with_env_filter(args.log.as_str()).with_writer(std::io::stderr).init();
    let (cfg, policy) = match args::engine_config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let shards = cfg.shards();
    install_signal_handlers();
    let udp_before = read_udp_stats();
    let engine = match Engine::start(cfg, PolicyHandler::new(policy)) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot start on {}: {e}", args.listen);
            std::process::exit(1);
        }
    };
    eprintln!("sipbench-server listening on {} with {shards} shard(s)", engine.local_addr());
    if let Some(addr) = args.metrics {
        match serve_metrics(addr, engine.report_handle()) {
            Ok(at) => eprintln!("metrics at http://{at}/metrics"),
            Err(e) => {
                eprintln!("cannot serve metrics on {addr}: {e}");
                std::process::exit(1);
            }
        }
    }
    let run_for = args.run_for.map(Duration::from_secs);
    let started = Instant::now();
    let mut last = ShardReport::new(usize::MAX);
    let mut last_tick = Instant::now();
    let mut peak_active = 0u64;
    let mut samples: Vec<Sample> = Vec::new();
    while !signalled() && run_for.is_none_or(|d| started.elapsed() < d) {
        std::thread::sleep(Duration::from_millis(100));
        // Total concurrency, sampled: per-shard peaks cannot be summed.
        peak_active = peak_active.max(engine.active_calls());
        if last_tick.elapsed() >= Duration::from_secs(1) {
            let now = engine.stats().total;
            samples.push(Sample {
                t_s: started.elapsed().as_secs_f64(),
                calls_per_s: (now.core.calls_received - last.core.calls_received) as f64
                    / last_tick.elapsed().as_secs_f64(),
                active: engine.active_calls(),
                failed: now.core.calls_failed(),
            });
            if !args.quiet {
                eprintln!("{}", summary::progress_line(&now, &last, last_tick.elapsed()));
            }
            last = now;
            last_tick = Instant::now();
        }
    }
    let end = engine.shutdown(Duration::from_secs(args.shutdown_secs));
    let (mut total, shard_reports) = (end.total, end.shards);
    total.core.peak_active_calls = total.core.peak_active_calls.max(peak_active);
    let udp = read_udp_stats().since(&udp_before);
    print!("{}", summary::final_text(&total, &udp, started.elapsed()));
    print!("{}", summary::media_text(&total));
    print!("\n{}", latency::table(&total));
    if let Some(dir) = &args.report
        && let Err(e) = summary::write_json(dir, &total, &shard_reports, &udp, started.elapsed())
            .and_then(|()| latency::write_files(dir, &total, &samples))
    {
        eprintln!("cannot write report to {}: {e}", dir.display());
        std::process::exit(1);
    }
}
