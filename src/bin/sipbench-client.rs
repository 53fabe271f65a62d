//! sipbench-client: a SIP load generator (UAC) on sharded threads.
//!
//! Example: `sipbench-client 127.0.0.1:5060 --rate 2000 --max-calls 10000 --duration-ms 1000`
//!
//! Exits 0 when every call succeeded (cancelled ones count as such), 1
//! when any failed or was rejected (like SIPp), 2 on bad flags.

use std::time::{Duration, Instant};

use clap::Parser;
use sipbench::metrics::Sample;
use sipbench::{Engine, PolicyHandler, ShardReport, install_signal_handlers, signalled};

#[path = "client/args.rs"]
mod args;
#[path = "client/report.rs"]
mod report;

fn main() {
    let args = args::Args::parse();
    tracing_subscriber::fmt().with_env_filter(args.log.as_str()).with_writer(std::io::stderr).init();
    let cfg = match args::engine_config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let shards = cfg.shards();
    install_signal_handlers();
    let engine = match Engine::start(cfg, PolicyHandler::default()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot start: {e}");
            std::process::exit(1);
        }
    };
    eprintln!(
        "sipbench-client on {} with {shards} shard(s): {} calls at {}/s to {}",
        engine.local_addr(),
        args.max_calls,
        args.rate,
        args.target
    );
    let run_for = args.run_for.map(Duration::from_secs);
    let started = Instant::now();
    let (mut last, mut last_tick) = (ShardReport::new(usize::MAX), Instant::now());
    let mut samples = Vec::new();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let now = engine.stats().total;
        let u = &now.core.uac;
        let done = u.placed >= args.max_calls && u.ended() >= u.placed;
        if done || signalled() || run_for.is_some_and(|d| started.elapsed() >= d) {
            break;
        }
        if last_tick.elapsed() >= Duration::from_secs(1) {
            let dt = last_tick.elapsed();
            samples.push(Sample {
                t_s: started.elapsed().as_secs_f64(),
                calls_per_s: (u.placed - last.core.uac.placed) as f64 / dt.as_secs_f64(),
                active: now.core.active_calls,
                failed: u.failed(),
            });
            if !args.quiet {
                eprintln!("{}", report::progress_line(&now, &last, dt));
            }
            (last, last_tick) = (now, Instant::now());
        }
    }
    let elapsed = started.elapsed();
    let total = engine.shutdown(Duration::from_secs(args.shutdown_secs)).total;
    print!("{}", report::final_text(&total, elapsed));
    if let Some(dir) = &args.report
        && let Err(e) = report::write(dir, &total, &samples, elapsed)
    {
        eprintln!("cannot write report to {}: {e}", dir.display());
        std::process::exit(1);
    }
    let u = &total.core.uac;
    let all_well = u.failed() == 0 && u.rejected == 0 && u.ended() == u.placed;
    std::process::exit(if all_well { 0 } else { 1 });
}
