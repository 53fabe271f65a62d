//! The client's command line and the engine configuration it builds.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use sipbench::{CallPolicy, Config, LoadPlan, MediaConfig, MediaMode, OutgoingCall};

/// A SIP load generator (UAC) on sharded threads, SIPp-like: places calls
/// at a steady rate, holds them, hangs up, and reports outcomes and
/// call-setup latency. Example:
///   sipbench-client 127.0.0.1:5060 --rate 2000 --max-calls 10000 --duration-ms 1000 --report reports/client1
#[derive(Parser, Debug)]
#[command(version, about, long_about = None, verbatim_doc_comment)]
pub struct Args {
    /// The server, HOST:PORT with an IP address (IPv6 as [::1]:5060). Example: 127.0.0.1:5060
    pub target: SocketAddr,
    /// New calls per second. Example: --rate 500
    #[arg(long, default_value_t = 10.0)]
    pub rate: f64,
    /// Calls to place in all; the run ends when every one has ended. Example: --max-calls 10000
    #[arg(long, default_value_t = 1_000)]
    pub max_calls: u64,
    /// Most simultaneous calls (new ones wait). Example: --concurrency 5000
    #[arg(long, default_value_t = 100_000)]
    pub concurrency: u64,
    /// Hang up (BYE) this long after the answer; 0: at once. Example: --duration-ms 3000
    #[arg(long, default_value_t = 0)]
    pub duration_ms: u64,
    /// Stop placing calls after this many seconds and end the run. Example: --run-for 60
    #[arg(long)]
    pub run_for: Option<u64>,
    /// Shard threads (default: the number of cores). Example: --shards 2
    #[arg(long)]
    pub shards: Option<usize>,
    /// Do not pin shards to cores.
    #[arg(long)]
    pub no_pin: bool,
    /// Media once answered: off|echo|play (RTP relay pool). Example: --media play
    #[arg(long, default_value = "off", value_parser = ["off", "echo", "play"])]
    pub media: String,
    /// RTP port range A-B for media (even ports used). Example: --rtp-ports 40000-50000
    #[arg(long, default_value = "40000-60000")]
    pub rtp_ports: String,
    /// Cancel this percentage of calls when they ring (180/183). Example: --cancel-percent 20
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub cancel_percent: u8,
    /// Our address (port 0: any free one). Example: --listen 127.0.0.1:5070
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// User part of the Request-URI and To. Example: --service 1000
    #[arg(long, default_value = "service")]
    pub service: String,
    /// Username for digest challenges (401/407). Example: --user alice
    #[arg(long)]
    pub user: Option<String>,
    /// Password for digest challenges. Example: --password secret
    #[arg(long, default_value = "")]
    pub password: String,
    /// RFC 3261 T1 in ms (Timer A starts at T1, Timer B is 64·T1). Example: --t1-ms 250
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..))]
    pub t1_ms: u64,
    /// Write summary.json, call_setup.hgrm and plots into this directory. Example: --report reports/client1
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// SO_RCVBUF/SO_SNDBUF bytes per socket. Example: --socket-buffer 8388608
    #[arg(long, default_value_t = 8 << 20)]
    pub socket_buffer: usize,
    /// Seconds calls still up get to end when the run stops. Example: --shutdown-secs 5
    #[arg(long, default_value_t = 5)]
    pub shutdown_secs: u64,
    /// No live progress line.
    #[arg(long)]
    pub quiet: bool,
    /// Log level (error|warn|info|debug|trace). Example: --log info
    #[arg(long, default_value = "warn")]
    pub log: String,
}

/// The engine configuration the flags describe.
pub fn engine_config(args: &Args) -> Result<Config, String> {
    let ms = Duration::from_millis;
    let listen = args.listen.unwrap_or_else(|| {
        let ip = if args.target.is_ipv6() { "[::1]:0" } else { "127.0.0.1:0" };
        ip.parse().expect("literal address")
    });
    let host = |a: SocketAddr| match a {
        SocketAddr::V4(v) => v.to_string(),
        SocketAddr::V6(v) => format!("[{}]:{}", v.ip(), v.port()),
    };
    let target = format!("sip:{}@{}", args.service, host(args.target));
    let from = format!("sip:sipbench@{}", host(SocketAddr::new(listen.ip(), 5060)));
    let mut call = OutgoingCall::new(&target, &from, &target);
    call.hang_up_after = Some(ms(args.duration_ms));
    let mode: MediaMode = args.media.parse().map_err(|e| format!("--media: {e}"))?;
    call.media = Some(mode);
    let plan = LoadPlan {
        call,
        rate: args.rate,
        max_calls: args.max_calls,
        concurrency: args.concurrency,
        cancel_percent: args.cancel_percent,
    };
    let (a, b) = args.rtp_ports.split_once('-').ok_or("--rtp-ports: expected A-B")?;
    let ports =
        (a.parse().map_err(|_| "--rtp-ports: bad port")?, b.parse().map_err(|_| "--rtp-ports: bad port")?);
    let t1 = ms(args.t1_ms);
    let mut b = Config::builder()
        .listen(listen)
        .pin(!args.no_pin)
        .timers(t1, (t1 * 8).max(ms(4_000)), ms(5_000))
        .socket_buffer(args.socket_buffer)
        .max_inbox_delay(None)
        .policy(CallPolicy::default())
        .user_agent("sipbench-client")
        .load(plan)
        .event_capacity(None);
    if mode != MediaMode::Off {
        b = b.media(MediaConfig { mode, ports, ..MediaConfig::default() });
    }
    if let Some(n) = args.shards {
        b = b.shards(n);
    }
    if let Some(user) = &args.user {
        b = b.credentials(user, &args.password);
    }
    b.build().map_err(|e| e.to_string())
}
