//! The flags both binaries take, declared once and flattened into each
//! binary's own: one name, one meaning and one default in both.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::transport_args::{TransportArgs, listen_arg};
use crate::{ConfigBuilder, MediaConfig, MediaMode, SrtpPolicy, Transport};

/// What the RTP relay pool does with each call's media.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MediaArg {
    /// No RTP sockets: the SDP answer names a port nobody listens on.
    Off,
    /// Reflect each packet to its sender.
    Echo,
    /// Send a paced G.711 tone every 20 ms.
    Play,
    /// Count and discard.
    Sink,
    /// Cross-connect calls in pairs, in arrival order.
    Bridge,
}

impl From<MediaArg> for MediaMode {
    fn from(m: MediaArg) -> MediaMode {
        match m {
            MediaArg::Off => MediaMode::Off,
            MediaArg::Echo => MediaMode::Echo,
            MediaArg::Play => MediaMode::Play,
            MediaArg::Sink => MediaMode::Sink,
            MediaArg::Bridge => MediaMode::Bridge,
        }
    }
}

/// The flags of both binaries. The field docs are the `--help` text, so
/// a bracketed `[IPv6]:port` there is an address, not a link.
#[derive(Args, Debug, Clone)]
#[allow(rustdoc::broken_intra_doc_links)]
pub struct CommonArgs {
    /// Where to listen, repeatable: [udp:|tcp:|tls:]IP:PORT, IPv6 as [::1]:5060, a bare
    /// address is UDP (default: the server udp:127.0.0.1:5060; the client the loopback address
    /// of the target's family, any free port). Example: --listen udp:0.0.0.0:5060 --listen
    /// tcp:0.0.0.0:5060 --listen tls:0.0.0.0:5061
    #[arg(long, value_parser = listen_arg)]
    pub listen: Vec<(Transport, SocketAddr)>,
    /// Shard threads (default: the number of cores). Example: --shards 2
    #[arg(long)]
    pub shards: Option<usize>,
    /// Do not pin shards to cores.
    #[arg(long)]
    pub no_pin: bool,
    /// Most simultaneous calls over all shards: beyond it the server answers new INVITEs 503 and
    /// the client holds new calls back. Example: --max-concurrent 5000
    #[arg(long, default_value_t = 100_000)]
    pub max_concurrent: usize,
    /// Media once answered (RTP relay pool). Example: --media echo
    #[arg(long, value_enum, default_value_t = MediaArg::Off)]
    pub media: MediaArg,
    /// RTP port range A-B (even ports carry RTP, the next odd one RTCP); give the server and
    /// the client disjoint ranges when both run media on one host. Example: --rtp-ports 20000-30000
    #[arg(long, default_value = "20000-40000", value_parser = port_range)]
    pub rtp_ports: (u16, u16),
    /// SRTP with SDES keys (RFC 4568): off (plain RTP only; an RTP/SAVP-only offer gets 488),
    /// optional (follow the offer), mandatory (a plain offer gets 488; our offers carry keys).
    /// Example: --srtp mandatory
    #[arg(long, default_value_t = SrtpPolicy::Optional, value_parser = srtp_policy)]
    pub srtp: SrtpPolicy,
    /// RTP relay threads. Example: --rtp-threads 1
    #[arg(long, default_value_t = 1)]
    pub rtp_threads: usize,
    /// RFC 3261 T1 in ms, the round-trip estimate (Timers A, B, E, F, G, H, J scale with it).
    /// Example: --t1-ms 250
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..))]
    pub t1_ms: u64,
    /// T2: the longest retransmission interval, ms (at least T1). Example: --t2-ms 4000
    #[arg(long, default_value_t = 4_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub t2_ms: u64,
    /// T4: the longest a message stays in the network, ms. Example: --t4-ms 5000
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub t4_ms: u64,
    /// SO_RCVBUF/SO_SNDBUF bytes per socket. Example: --socket-buffer 8388608
    #[arg(long, default_value_t = 8 << 20)]
    pub socket_buffer: usize,
    /// After a poll that returned work, poll again without sleeping for this many µs before
    /// parking (off by default: fewer wake-ups for more CPU). Example: --busy-poll-us 50
    #[arg(long)]
    pub busy_poll_us: Option<u64>,
    /// Leave UDP datagrams where the kernel's 4-tuple hash puts them (shards hand off
    /// other shards' calls) instead of steering them by Call-ID.
    #[arg(long)]
    pub no_kernel_steering: bool,
    /// Send every UDP datagram on its own instead of runs of equal-length datagrams as one
    /// segmented send (UDP_SEGMENT). For a load generator feeding a multi-shard server on
    /// the same host: on loopback a run arrives unsplit and is steered by its first datagram.
    #[arg(long)]
    pub no_udp_segments: bool,
    /// Write summary.json, the latency files and plots into this directory at exit.
    /// Example: --report reports/run1
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// End the run after this many seconds (default: the server runs until SIGINT/SIGTERM,
    /// the client until every call has ended). Example: --run-for 60
    #[arg(long)]
    pub run_for: Option<u64>,
    /// Seconds the calls still up get to end when the run stops. Example: --shutdown-secs 5
    #[arg(long, default_value_t = 5)]
    pub shutdown_secs: u64,
    /// No live progress line.
    #[arg(long)]
    pub quiet: bool,
    /// Log level (error|warn|info|debug|trace). Example: --log info
    #[arg(long, default_value = "warn")]
    pub log: String,
    /// TLS identity and connection limits.
    #[command(flatten)]
    pub transport: TransportArgs,
}

impl CommonArgs {
    /// The part of the engine configuration these flags describe: shards
    /// and pinning, timers, socket buffers, media (`media_timeout` from
    /// the server's own flag).
    pub fn configure(&self, b: ConfigBuilder, media_timeout: Option<Duration>) -> ConfigBuilder {
        let ms = Duration::from_millis;
        let b = b
            .stream_limits(self.transport.limits())
            .pin(!self.no_pin)
            .timers(ms(self.t1_ms), ms(self.t2_ms), ms(self.t4_ms))
            .socket_buffer(self.socket_buffer)
            .srtp(self.srtp)
            .busy_poll(self.busy_poll_us.filter(|&us| us > 0).map(Duration::from_micros))
            .kernel_steering(!self.no_kernel_steering)
            .udp_segments(!self.no_udp_segments)
            .media(MediaConfig {
                threads: self.rtp_threads,
                mode: self.media.into(),
                ports: self.rtp_ports,
                timeout: media_timeout,
                cores: Vec::new(),
            });
        match self.shards {
            Some(n) => b.shards(n),
            None => b,
        }
    }

    /// The listeners given (`--listen`), applied to the builder; false
    /// when none was given.
    pub fn apply_listen(&self, mut b: ConfigBuilder) -> (ConfigBuilder, bool) {
        for &(t, addr) in &self.listen {
            b = b.listen_on(t, addr);
        }
        (b, !self.listen.is_empty())
    }

    /// `--run-for` as a duration.
    pub fn run_for(&self) -> Option<Duration> {
        self.run_for.map(Duration::from_secs)
    }

    /// `--shutdown-secs` as a duration.
    pub fn shutdown(&self) -> Duration {
        Duration::from_secs(self.shutdown_secs)
    }
}

/// `off`, `optional` or `mandatory`.
fn srtp_policy(s: &str) -> Result<SrtpPolicy, String> {
    s.parse()
}

/// `A-B` with A < B.
fn port_range(s: &str) -> Result<(u16, u16), String> {
    let (a, b) = s.split_once('-').ok_or("expected A-B")?;
    let port = |p: &str| p.trim().parse::<u16>().map_err(|_| format!("bad port {p:?}"));
    let (a, b) = (port(a)?, port(b)?);
    if a >= b {
        return Err("the range must be A < B".into());
    }
    Ok((a, b))
}
