//! sipbench-server: a SIP UAS on sharded threads.
//!
//! Example: `sipbench-server --listen 127.0.0.1:5060 --shards 2 --ring-ms 100 --report reports/run1`

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use sipbench::core::{CoreConfig, LimitAction, SourceLimit};
use sipbench::dialog::CallPolicy;
use sipbench::runtime::{Runtime, RuntimeConfig, ShardReport, install_signal_handlers, signalled};
use sipbench::transport::read_udp_stats;

#[path = "server/summary.rs"]
mod summary;

/// A multi-threaded SIP UAS: answers INVITE/ACK/BYE/CANCEL/re-INVITE/OPTIONS
/// on sharded, pinned threads. Example:
///   sipbench-server --listen 127.0.0.1:5060 --shards 2 --ring-ms 100 --duration-ms 0 --report reports/run1
#[derive(Parser, Debug)]
#[command(version, about, long_about = None, verbatim_doc_comment)]
struct Args {
    /// Address to listen on, IPv4 or [IPv6]:port. Example: --listen [::1]:5070
    #[arg(long, default_value = "127.0.0.1:5060")]
    listen: SocketAddr,
    /// Shard threads (default: the number of cores). Example: --shards 2
    #[arg(long)]
    shards: Option<usize>,
    /// Do not pin shards to cores.
    #[arg(long)]
    no_pin: bool,
    /// Ring for this long (180 at once, 200 after); 0: no 180. Example: --ring-ms 2000
    #[arg(long, default_value_t = 0)]
    ring_ms: u64,
    /// Extra delay before the 200 OK, after ringing. Example: --answer-ms 50
    #[arg(long, default_value_t = 0)]
    answer_ms: u64,
    /// Hang up (BYE) this long after the ACK; 0: the caller hangs up. Example: --duration-ms 3000
    #[arg(long, default_value_t = 0)]
    duration_ms: u64,
    /// Reject this percentage of calls. Example: --reject-percent 10
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    reject_percent: u8,
    /// Status code for rejected calls. Example: --reject-code 603
    #[arg(long, default_value_t = 486, value_parser = clap::value_parser!(u16).range(300..=699))]
    reject_code: u16,
    /// Most simultaneous calls; beyond it new INVITEs get 503. Example: --max-calls 5000
    #[arg(long, default_value_t = 100_000)]
    max_calls: usize,
    /// Media mode: echo|play|sink|off (RTP relay not wired yet: off). Example: --media off
    #[arg(long, default_value = "off")]
    media: String,
    /// RTP port range A-B (even ports used). Example: --rtp-ports 20000-30000
    #[arg(long, default_value = "20000-40000")]
    rtp_ports: String,
    /// RTP relay threads. Example: --rtp-threads 1
    #[arg(long, default_value_t = 1)]
    rtp_threads: usize,
    /// Write summary.json into this directory at exit. Example: --report reports/run1
    #[arg(long)]
    report: Option<PathBuf>,
    /// Stop after this many seconds (default: until SIGINT/SIGTERM). Example: --run-for 60
    #[arg(long)]
    run_for: Option<u64>,
    /// Log level (error|warn|info|debug|trace). Example: --log info
    #[arg(long, default_value = "warn")]
    log: String,
    /// SO_RCVBUF/SO_SNDBUF bytes per socket. Example: --socket-buffer 8388608
    #[arg(long, default_value_t = 8 << 20)]
    socket_buffer: usize,
    /// Seconds active calls get to end after a stop request. Example: --shutdown-secs 5
    #[arg(long, default_value_t = 5)]
    shutdown_secs: u64,
    /// No live progress line.
    #[arg(long)]
    quiet: bool,
    /// New INVITEs and out-of-dialog requests per second from one source
    /// address (0: no limit). Example: --source-rate 200
    #[arg(long, default_value_t = 0)]
    source_rate: u32,
    /// Requests a source may send at once (default: one second's worth). Example: --source-burst 50
    #[arg(long)]
    source_burst: Option<u32>,
    /// Over the source limit: reject (503 + Retry-After) or drop. Example: --source-action drop
    #[arg(long, default_value = "reject", value_parser = ["reject", "drop"])]
    source_action: String,
}

/// The per-source limit of one shard: a source's calls spread over the
/// shards by Call-ID, so each shard enforces its share.
fn source_limit(args: &Args, shards: usize) -> Option<SourceLimit> {
    let share = |n: u32| n.div_ceil(shards.max(1) as u32).max(1);
    (args.source_rate > 0).then(|| SourceLimit {
        rate: share(args.source_rate),
        burst: share(args.source_burst.unwrap_or(args.source_rate)),
        action: if args.source_action == "drop" { LimitAction::Drop } else { LimitAction::Reject },
    })
}

fn parse_ports(s: &str) -> Result<(u16, u16), String> {
    let (a, b) = s.split_once('-').ok_or("expected A-B")?;
    let (a, b): (u16, u16) = (a.parse().map_err(|_| "bad port")?, b.parse().map_err(|_| "bad port")?);
    if a >= b {
        return Err("range must be A < B".into());
    }
    Ok((a, b))
}

fn main() {
    let args = Args::parse();
    tracing_subscriber::fmt().with_env_filter(args.log.as_str()).with_writer(std::io::stderr).init();
    if args.media != "off" {
        eprintln!(
            "note: --media {} is not wired yet (RTP relay pool pending); answering without media",
            args.media
        );
    }
    let _ = args.rtp_threads;
    let rtp_ports = match parse_ports(&args.rtp_ports) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("--rtp-ports: {e}");
            std::process::exit(2);
        }
    };
    let ms = Duration::from_millis;
    let policy = CallPolicy {
        ring: ms(args.ring_ms),
        answer: ms(args.answer_ms),
        hangup: ms(args.duration_ms),
        reject_percent: args.reject_percent,
        reject_code: args.reject_code,
    };
    let shards = args.shards.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let per_shard_calls = args.max_calls.div_ceil(shards.max(1));
    let core = CoreConfig {
        policy,
        max_calls: per_shard_calls,
        media_addr: args.listen.ip(),
        rtp_ports,
        events: false,
        source_limit: source_limit(&args, shards),
        ..CoreConfig::default()
    };
    let cfg = RuntimeConfig {
        listen: args.listen,
        shards,
        pin: !args.no_pin,
        socket_buffer: args.socket_buffer,
        inbox_capacity: 65_536,
        core,
    };
    install_signal_handlers();
    let udp_before = read_udp_stats();
    let rt = match Runtime::start(cfg) {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start on {}: {e}", args.listen);
            std::process::exit(1);
        }
    };
    eprintln!("sipbench-server listening on {} with {shards} shard(s)", rt.local);
    let run_for = args.run_for.map(Duration::from_secs);
    let started = Instant::now();
    let mut last = ShardReport::new(usize::MAX);
    let mut last_tick = Instant::now();
    let mut peak_active = 0u64;
    while !signalled() && run_for.is_none_or(|d| started.elapsed() < d) {
        std::thread::sleep(Duration::from_millis(100));
        // Total concurrency, sampled: per-shard peaks cannot be summed.
        peak_active = peak_active.max(rt.active_calls());
        if last_tick.elapsed() >= Duration::from_secs(1) {
            let now = rt.report();
            if !args.quiet {
                eprintln!("{}", summary::progress_line(&now, &last, last_tick.elapsed()));
            }
            last = now;
            last_tick = Instant::now();
        }
    }
    let (mut total, shard_reports) = rt.shutdown(Duration::from_secs(args.shutdown_secs));
    total.core.peak_active_calls = total.core.peak_active_calls.max(peak_active);
    let udp = read_udp_stats().since(&udp_before);
    print!("{}", summary::final_text(&total, &udp, started.elapsed()));
    if let Some(dir) = &args.report
        && let Err(e) = summary::write_json(dir, &total, &shard_reports, &udp, started.elapsed())
    {
        eprintln!("cannot write report to {}: {e}", dir.display());
        std::process::exit(1);
    }
}
