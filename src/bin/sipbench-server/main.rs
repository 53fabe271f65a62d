//! sipbench-server: a SIP UAS on sharded threads.
//!
//! Example: `sipbench-server --listen 127.0.0.1:5060 --shards 2 --ring-ms 100 --report reports/run1`

mod args;
mod auth_args;
mod latency;
mod summary;
mod timer_args;

use std::time::Duration;

use clap::Parser;
use sipbench::cli::{self, Watched};
use sipbench::runtime::ShardReport;
use sipbench::{Engine, PolicyHandler};

use args::Args;

/// The server's view of a run: calls received, calls failed.
struct Server;

impl Watched for Server {
    fn tick(&self) -> Duration {
        Duration::from_millis(100)
    }

    fn calls(&self, r: &ShardReport) -> u64 {
        r.core.calls_received
    }

    fn failed(&self, r: &ShardReport) -> u64 {
        r.core.calls_failed()
    }

    fn progress_line(&self, now: &ShardReport, last: &ShardReport, dt: Duration) -> String {
        summary::progress_line(now, last, dt)
    }
}

/// Refuses new calls and waits up to `grace` for the calls up to end.
fn drain(engine: &Engine, grace: Duration) {
    engine.drain();
    let started = std::time::Instant::now();
    eprintln!(
        "draining: new calls get 503; {} call(s) up get {} s to end",
        engine.active_calls(),
        grace.as_secs()
    );
    // The shards publish a few times a second: a count of 0 seen after
    // the drain began is a count taken while refusing.
    std::thread::sleep(Duration::from_millis(300));
    while engine.active_calls() > 0 && started.elapsed() < grace {
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "drained in {:.1} s; {} call(s) left for shutdown",
        started.elapsed().as_secs_f64(),
        engine.active_calls()
    );
}

fn main() {
    let args = Args::parse();
    cli::init_logging(&args.common.log);
    let (cfg, policy) = match args::engine_config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let (shards, listen) = (cfg.shards(), cfg.listen());
    cli::install_signal_handlers();
    cli::ensure_open_files(args.common.transport.max_connections);
    let udp_before = cli::read_udp_stats();
    let engine = match Engine::start(cfg, PolicyHandler::new(policy)) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot start on {listen}: {e}");
            std::process::exit(1);
        }
    };
    for t in sipbench::Transport::ALL {
        if let Some(at) = engine.local_addr_of(t) {
            eprintln!("sipbench-server listening on {t}:{at} with {shards} shard(s)");
        }
    }
    if let Some(addr) = args.metrics {
        match cli::serve_metrics(addr, engine.report_handle()) {
            Ok(at) => eprintln!("metrics at http://{at}/metrics"),
            Err(e) => {
                eprintln!("cannot serve metrics on {addr}: {e}");
                std::process::exit(1);
            }
        }
    }
    let run = cli::watch(&engine, &Server, args.common.run_for(), args.common.quiet);
    if args.drain_secs > 0 {
        drain(&engine, Duration::from_secs(args.drain_secs));
    }
    let end = engine.shutdown(args.common.shutdown());
    let (mut total, shard_reports) = (end.total, end.shards);
    total.core.peak_active_calls = total.core.peak_active_calls.max(run.peak_active);
    let udp = cli::read_udp_stats().since(&udp_before);
    let elapsed = run.started.elapsed();
    print!("{}", summary::final_text(&total, &udp, elapsed));
    print!("{}", summary::media_text(&total));
    print!("{}", cli::connections_text(&total.conns));
    print!("\n{}", latency::table(&total));
    if let Some(dir) = &args.common.report
        && let Err(e) = summary::write_json(dir, &total, &shard_reports, &udp, elapsed)
            .and_then(|()| latency::write_files(dir, &total, &run.samples))
    {
        eprintln!("cannot write report to {}: {e}", dir.display());
        std::process::exit(1);
    }
}
