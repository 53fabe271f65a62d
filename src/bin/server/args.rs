//! The server's command line and the engine configuration it builds.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use sipbench::{CallPolicy, Config, LimitAction, MediaConfig, MediaMode, ParseLimits, SourceLimit};

/// A multi-threaded SIP UAS: answers INVITE/ACK/BYE/CANCEL/re-INVITE/OPTIONS
/// on sharded, pinned threads. Example:
///   sipbench-server --listen 127.0.0.1:5060 --shards 2 --ring-ms 100 --duration-ms 0 --report reports/run1
#[derive(Parser, Debug)]
#[command(version, about, long_about = None, verbatim_doc_comment)]
pub struct Args {
    /// Address to listen on, IPv4 or [IPv6]:port. Example: --listen [::1]:5070
    #[arg(long, default_value = "127.0.0.1:5060")]
    pub listen: SocketAddr,
    /// Shard threads (default: the number of cores). Example: --shards 2
    #[arg(long)]
    pub shards: Option<usize>,
    /// Do not pin shards to cores.
    #[arg(long)]
    pub no_pin: bool,
    /// Ring for this long (180 at once, 200 after); 0: no 180. Example: --ring-ms 2000
    #[arg(long, default_value_t = 0)]
    pub ring_ms: u64,
    /// Extra delay before the 200 OK, after ringing. Example: --answer-ms 50
    #[arg(long, default_value_t = 0)]
    pub answer_ms: u64,
    /// Hang up (BYE) this long after the ACK; 0: the caller hangs up. Example: --duration-ms 3000
    #[arg(long, default_value_t = 0)]
    pub duration_ms: u64,
    /// Reject this percentage of calls. Example: --reject-percent 10
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub reject_percent: u8,
    /// Status code for rejected calls. Example: --reject-code 603
    #[arg(long, default_value_t = 486, value_parser = clap::value_parser!(u16).range(300..=699))]
    pub reject_code: u16,
    /// Most simultaneous calls; beyond it new INVITEs get 503. Example: --max-calls 5000
    #[arg(long, default_value_t = 100_000)]
    pub max_calls: usize,
    /// Shed load: while hand-offs wait longer than this in a shard's inbox,
    /// new INVITEs get 503 (0: never). Example: --max-inbox-delay-ms 100
    #[arg(long, default_value_t = 250.0)]
    pub max_inbox_delay_ms: f64,
    /// RFC 3261 timers T1, T2, T4 in ms (T1 also scales Timers B, F, H, J). Example: --t1-ms 250
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..))]
    pub t1_ms: u64,
    /// T2: the longest retransmission interval, ms. Example: --t2-ms 4000
    #[arg(long, default_value_t = 4_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub t2_ms: u64,
    /// T4: the longest a message stays in the network, ms. Example: --t4-ms 5000
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub t4_ms: u64,
    /// Most live server transactions; beyond it new requests get a stateless 503. Example: --max-transactions 200000
    #[arg(long, default_value_t = 500_000)]
    pub max_transactions: usize,
    /// Most live calls from one source address (0: no cap); beyond it new INVITEs get 503. Example: --max-calls-per-source 500
    #[arg(long, default_value_t = 0)]
    pub max_calls_per_source: u32,
    /// Largest datagram accepted, bytes (at most 65535). Example: --max-message-size 8192
    #[arg(long, default_value_t = 65_535)]
    pub max_message_size: usize,
    /// Most header lines in a message. Example: --max-headers 64
    #[arg(long, default_value_t = 128)]
    pub max_headers: usize,
    /// Longest header line, bytes. Example: --max-line-len 4096
    #[arg(long, default_value_t = 8_192)]
    pub max_line_len: usize,
    /// Largest body, bytes. Example: --max-body-size 8192
    #[arg(long, default_value_t = 32_768)]
    pub max_body_size: usize,
    /// Media mode: off|echo|play|sink|bridge (RTP relay pool). Example: --media echo
    #[arg(long, default_value = "off")]
    pub media: String,
    /// End a call with BYE after this long without RTP (0: off). Example: --media-timeout-ms 30000
    #[arg(long, default_value_t = 0)]
    pub media_timeout_ms: u64,
    /// On media timeout only count it, keep the call. Example: --media-timeout-keep-call
    #[arg(long)]
    pub media_timeout_keep_call: bool,
    /// RTP port range A-B (even ports used). Example: --rtp-ports 20000-30000
    #[arg(long, default_value = "20000-40000")]
    pub rtp_ports: String,
    /// RTP relay threads. Example: --rtp-threads 1
    #[arg(long, default_value_t = 1)]
    pub rtp_threads: usize,
    /// Write summary.json into this directory at exit. Example: --report reports/run1
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Stop after this many seconds (default: until SIGINT/SIGTERM). Example: --run-for 60
    #[arg(long)]
    pub run_for: Option<u64>,
    /// Serve Prometheus metrics at http://ADDR/metrics (off by default). Example: --metrics 127.0.0.1:9090
    #[arg(long)]
    pub metrics: Option<SocketAddr>,
    /// Log level (error|warn|info|debug|trace). Example: --log info
    #[arg(long, default_value = "warn")]
    pub log: String,
    /// SO_RCVBUF/SO_SNDBUF bytes per socket. Example: --socket-buffer 8388608
    #[arg(long, default_value_t = 8 << 20)]
    pub socket_buffer: usize,
    /// Seconds active calls get to end after a stop request. Example: --shutdown-secs 5
    #[arg(long, default_value_t = 5)]
    pub shutdown_secs: u64,
    /// No live progress line.
    #[arg(long)]
    pub quiet: bool,
    /// New INVITEs and out-of-dialog requests per second from one source
    /// address (0: no limit). Example: --source-rate 200
    #[arg(long, default_value_t = 0)]
    pub source_rate: u32,
    /// Requests a source may send at once (default: one second's worth). Example: --source-burst 50
    #[arg(long)]
    pub source_burst: Option<u32>,
    /// Over the source limit: reject (503 + Retry-After) or drop. Example: --source-action drop
    #[arg(long, default_value = "reject", value_parser = ["reject", "drop"])]
    pub source_action: String,
}

fn parse_ports(s: &str) -> Result<(u16, u16), String> {
    let (a, b) = s.split_once('-').ok_or("expected A-B")?;
    let (a, b): (u16, u16) = (a.parse().map_err(|_| "bad port")?, b.parse().map_err(|_| "bad port")?);
    if a >= b {
        return Err("range must be A < B".into());
    }
    Ok((a, b))
}

/// The engine configuration the flags describe (through the public
/// builder, which checks it).
pub fn engine_config(args: &Args) -> Result<(Config, CallPolicy), String> {
    let mode: MediaMode = args.media.parse().map_err(|e| format!("--media: {e}"))?;
    let rtp_ports = parse_ports(&args.rtp_ports).map_err(|e| format!("--rtp-ports: {e}"))?;
    let ms = Duration::from_millis;
    let policy = CallPolicy {
        ring: ms(args.ring_ms),
        answer: ms(args.answer_ms),
        hangup: ms(args.duration_ms),
        reject_percent: args.reject_percent,
        reject_code: args.reject_code,
    };
    if !(args.max_inbox_delay_ms >= 0.0 && args.max_inbox_delay_ms.is_finite()) {
        return Err("--max-inbox-delay-ms: must be a number of ms, 0 or more".into());
    }
    let mut b = Config::builder()
        .listen(args.listen)
        .pin(!args.no_pin)
        .policy(policy)
        .timers(ms(args.t1_ms), ms(args.t2_ms), ms(args.t4_ms))
        .max_calls(args.max_calls)
        .max_transactions(args.max_transactions)
        .parse_limits(ParseLimits {
            max_message_size: args.max_message_size,
            max_headers: args.max_headers,
            max_line_len: args.max_line_len,
            max_body_size: args.max_body_size,
        })
        .socket_buffer(args.socket_buffer)
        .max_inbox_delay(
            (args.max_inbox_delay_ms > 0.0).then(|| Duration::from_secs_f64(args.max_inbox_delay_ms / 1e3)),
        )
        .media(MediaConfig {
            threads: args.rtp_threads,
            mode,
            ports: rtp_ports,
            timeout: (args.media_timeout_ms > 0).then(|| ms(args.media_timeout_ms)),
            cores: Vec::new(),
        })
        .hang_up_on_media_timeout(!args.media_timeout_keep_call)
        // The server reads counters, not events: none are produced.
        .event_capacity(None);
    if let Some(n) = args.shards {
        b = b.shards(n);
    }
    if args.max_calls_per_source > 0 {
        b = b.max_calls_per_source(args.max_calls_per_source);
    }
    if args.source_rate > 0 {
        b = b.source_limit(SourceLimit {
            rate: args.source_rate,
            burst: args.source_burst.unwrap_or(args.source_rate),
            action: if args.source_action == "drop" { LimitAction::Drop } else { LimitAction::Reject },
        });
    }
    Ok((b.build().map_err(|e| e.to_string())?, policy))
}
