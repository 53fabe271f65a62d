//! sipbench-client: a SIP load generator (UAC) on sharded threads.
//!
//! Example: `sipbench-client 127.0.0.1:5060 --rate 2000 --calls 10000 --duration-ms 1000`
//!
//! Exits 0 when every call succeeded (cancelled ones count as such), 1
//! when any failed or was rejected (like SIPp), 2 on bad flags.

mod args;
mod report;

use std::time::Duration;

use clap::Parser;
use sipbench::cli::{self, Watched};
use sipbench::runtime::ShardReport;
use sipbench::{Engine, PolicyHandler};

/// The client's view of a run: calls placed and failed; over once all
/// `calls` are placed and ended.
struct Client {
    calls: u64,
}

impl Watched for Client {
    fn tick(&self) -> Duration {
        Duration::from_millis(50)
    }

    fn calls(&self, r: &ShardReport) -> u64 {
        r.core.uac.placed
    }

    fn failed(&self, r: &ShardReport) -> u64 {
        r.core.uac.failed()
    }

    fn progress_line(&self, now: &ShardReport, last: &ShardReport, dt: Duration) -> String {
        report::progress_line(now, last, dt)
    }

    fn finished(&self, engine: &Engine) -> bool {
        let u = engine.core_stats().uac;
        u.placed >= self.calls && u.ended() >= u.placed
    }
}

fn main() {
    let args = args::Args::parse();
    cli::init_logging(&args.common.log);
    let cfg = match args::engine_config(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let shards = cfg.shards();
    cli::install_signal_handlers();
    cli::ensure_open_files(args.common.transport.max_connections);
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
        args.calls,
        args.rate,
        args.target
    );
    let run = cli::watch(&engine, &Client { calls: args.calls }, args.common.run_for(), args.common.quiet);
    let elapsed = run.started.elapsed();
    let total = engine.shutdown(args.common.shutdown()).total;
    print!("{}", report::final_text(&total, elapsed));
    if let Some(dir) = &args.common.report
        && let Err(e) = report::write(dir, &total, &run.samples, elapsed)
    {
        eprintln!("cannot write report to {}: {e}", dir.display());
        std::process::exit(1);
    }
    let u = &total.core.uac;
    let all_well = u.failed() == 0 && u.rejected == 0 && u.ended() == u.placed;
    std::process::exit(if all_well { 0 } else { 1 });
}
