//! The server's command line and the engine configuration it builds.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use sipbench::cli::{self, CommonArgs};
use sipbench::{CallPolicy, Config, LimitAction, ParseLimits, Registrar, SourceLimit};

/// A multi-threaded SIP UAS: answers INVITE/ACK/BYE/CANCEL/re-INVITE/OPTIONS
/// (and REGISTER with --registrar) on sharded, pinned threads. Example:
///   sipbench-server --listen 127.0.0.1:5060 --shards 2 --ring-ms 100 --duration-ms 0 --report reports/run1
#[derive(Parser, Debug)]
#[command(version, about, long_about = None, verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub auth: crate::auth_args::AuthArgs,
    #[command(flatten)]
    pub session_timer: crate::timer_args::TimerArgs,
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
    /// Early media: 183 Session Progress with our SDP answer instead of 180 (sent reliably, with
    /// PRACK, when the caller supports 100rel); the stream starts before the 200. Example: --early-media
    #[arg(long)]
    pub early_media: bool,
    /// Shed load: while hand-offs wait longer than this in a shard's inbox,
    /// new INVITEs get 503 (0: never). Example: --max-inbox-delay-ms 100
    #[arg(long, default_value_t = 250.0)]
    pub max_inbox_delay_ms: f64,
    /// Most live server transactions over all shards; beyond it new out-of-dialog requests get a
    /// stateless 503. Example: --max-transactions 200000
    #[arg(long, default_value_t = 500_000)]
    pub max_transactions: usize,
    /// The call rate (calls/s over all shards) to size the transaction tables for at start:
    /// room for 64·T1 of lingering transactions, so no table grows under that load (0: they
    /// grow as needed). Example: --expected-rate 25000
    #[arg(long, default_value_t = 0.0)]
    pub expected_rate: f64,
    /// Most live calls from one source address (0: no cap); beyond it new INVITEs get 503. Each
    /// shard holds its share, rounded up. Example: --max-calls-per-source 500
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
    /// End a call with BYE after this long without RTP (0: off). Example: --media-timeout-ms 30000
    #[arg(long, default_value_t = 0)]
    pub media_timeout_ms: u64,
    /// On media timeout only count it, keep the call. Example: --media-timeout-keep-call
    #[arg(long)]
    pub media_timeout_keep_call: bool,
    /// Serve Prometheus metrics at http://ADDR/metrics (off by default). Example: --metrics 127.0.0.1:9090
    #[arg(long)]
    pub metrics: Option<SocketAddr>,
    /// New INVITEs and out-of-dialog requests per second from one source
    /// address (0: no limit). Example: --source-rate 200
    #[arg(long, default_value_t = 0)]
    pub source_rate: u32,
    /// Requests a source may send at once (default: one second's worth). Example: --source-burst 50
    #[arg(long)]
    pub source_burst: Option<u32>,
    /// Over the source limit: reject (503 + Retry-After) or drop. Example: --source-action drop
    #[arg(long, value_enum, default_value_t = SourceAction::Reject)]
    pub source_action: SourceAction,
    /// Act as a registrar: keep REGISTER bindings in memory (with expiry) and answer 200 with
    /// them; without it REGISTER gets 405. Example: --registrar
    #[arg(long)]
    pub registrar: bool,
    /// Require TLS clients to present a certificate issued by this CA (PEM): mutual TLS.
    /// Example: --tls-client-ca certs/trunk-ca.pem
    #[arg(long)]
    pub tls_client_ca: Option<std::path::PathBuf>,
    /// On SIGTERM/SIGINT (or the end of --run-for), first drain for up to this many seconds:
    /// new INVITEs get 503 with Retry-After, OPTIONS 503, the calls up go on until they end;
    /// then --shutdown-secs ends the rest with BYE. 0: no drain. Example: --drain-secs 30
    #[arg(long, default_value_t = 0)]
    pub drain_secs: u64,
    /// The old name of --max-concurrent: refused with a pointer to it.
    #[arg(long = "max-calls", hide = true)]
    pub renamed_max_calls: Option<String>,
}

/// What happens to a request over the per-source limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SourceAction {
    /// 503 with Retry-After.
    Reject,
    /// No answer.
    Drop,
}

/// Where the server listens unless `--listen` says otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:5060";

/// The engine configuration the flags describe (through the public
/// builder, which checks it).
pub fn engine_config(args: &Args) -> Result<(Config, CallPolicy), String> {
    if args.renamed_max_calls.is_some() {
        return Err("--max-calls is now --max-concurrent (most calls up at once)".into());
    }
    let ms = Duration::from_millis;
    let policy = CallPolicy {
        ring: ms(args.ring_ms),
        answer: ms(args.answer_ms),
        hangup: ms(args.duration_ms),
        reject_percent: args.reject_percent,
        reject_code: args.reject_code,
        early_media: args.early_media,
    };
    if !(args.max_inbox_delay_ms >= 0.0 && args.max_inbox_delay_ms.is_finite()) {
        return Err("--max-inbox-delay-ms: must be a number of ms, 0 or more".into());
    }
    if !(args.expected_rate >= 0.0 && args.expected_rate.is_finite()) {
        return Err("--expected-rate: must be a number of calls/s, 0 or more".into());
    }
    let media_timeout = (args.media_timeout_ms > 0).then(|| ms(args.media_timeout_ms));
    let (b, listening) = args.common.apply_listen(Config::builder());
    let b = if listening { b } else { b.listen(DEFAULT_LISTEN.parse().expect("literal address")) };
    let mut b = args
        .common
        .configure(b, media_timeout)
        .policy(policy)
        .max_calls(args.common.max_concurrent)
        .max_transactions(args.max_transactions)
        .expected_rate((args.expected_rate > 0.0).then_some(args.expected_rate))
        .parse_limits(ParseLimits {
            max_message_size: args.max_message_size,
            max_headers: args.max_headers,
            max_line_len: args.max_line_len,
            max_body_size: args.max_body_size,
        })
        .max_inbox_delay(
            (args.max_inbox_delay_ms > 0.0).then(|| Duration::from_secs_f64(args.max_inbox_delay_ms / 1e3)),
        )
        .hang_up_on_media_timeout(!args.media_timeout_keep_call)
        // The server reads counters, not events: none are produced.
        .event_capacity(None);
    if args.max_calls_per_source > 0 {
        b = b.max_calls_per_source(args.max_calls_per_source);
    }
    if args.registrar {
        b = b.registrar(Registrar::default());
    }
    if args.source_rate > 0 {
        b = b.source_limit(SourceLimit {
            rate: args.source_rate,
            burst: args.source_burst.unwrap_or(args.source_rate),
            action: match args.source_action {
                SourceAction::Drop => LimitAction::Drop,
                SourceAction::Reject => LimitAction::Reject,
            },
        });
    }
    let tls = args.common.transport.tls_identity()?;
    let tls = match (&args.tls_client_ca, tls) {
        (Some(ca), Some(t)) => Some(t.client_ca(cli::read_pem("--tls-client-ca", ca)?)),
        (Some(_), None) => return Err("--tls-client-ca needs --tls-cert and --tls-key".into()),
        (None, t) => t,
    };
    if let Some(t) = tls {
        b = b.tls(t);
    }
    let b = args.session_timer.apply(args.auth.apply(b)?);
    Ok((b.build().map_err(|e| e.to_string())?, policy))
}
