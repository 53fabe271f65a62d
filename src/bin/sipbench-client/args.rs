//! The client's command line and the engine configuration it builds.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use sipbench::cli::CommonArgs;
use sipbench::{CallPolicy, Config, ConnectionReuse, LoadPlan, OutgoingCall, TlsConfig, Transport};

/// A SIP load generator (UAC) on sharded threads, SIPp-like: places calls
/// at a steady rate, holds them, hangs up, and reports outcomes and
/// call-setup latency. Example:
///   sipbench-client 127.0.0.1:5060 --rate 2000 --calls 10000 --duration-ms 1000 --report reports/client1
#[derive(Parser, Debug)]
#[command(version, about, long_about = None, verbatim_doc_comment)]
#[allow(rustdoc::broken_intra_doc_links)] // `[::1]:5060` in the help text is an address
pub struct Args {
    /// The server, HOST:PORT with an IP address (IPv6 as [::1]:5060). Example: 127.0.0.1:5060
    pub target: SocketAddr,
    #[command(flatten)]
    pub common: CommonArgs,
    /// New calls per second. Example: --rate 500
    #[arg(long, default_value_t = 10.0)]
    pub rate: f64,
    /// Calls to place in all (SIPp's -m); the run ends when every one has ended. Example: --calls 10000
    #[arg(long, default_value_t = 1_000)]
    pub calls: u64,
    /// Hang up (BYE) this long after the answer; 0: at once. Example: --duration-ms 3000
    #[arg(long, default_value_t = 0)]
    pub duration_ms: u64,
    /// Cancel this percentage of calls when they ring (180/183). Example: --cancel-percent 20
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub cancel_percent: u8,
    /// User part of the Request-URI and To. Example: --service 1000
    #[arg(long, default_value = "service")]
    pub service: String,
    /// Username for digest challenges (401/407). Example: --user alice
    #[arg(long)]
    pub user: Option<String>,
    /// Password for digest challenges. Example: --password secret
    #[arg(long, default_value = "")]
    pub password: String,
    /// The transport the calls go over (TLS targets sips:). Example: --transport tcp
    #[arg(long, value_enum, default_value_t = TransportArg::Udp)]
    pub transport: TransportArg,
    /// TCP/TLS: one connection per shard carrying every call (SIPp's t1), or one per call,
    /// closed when it ends (SIPp's tn). Example: --connections per-call
    #[arg(long, value_enum, default_value_t = ConnectionsArg::PerShard)]
    pub connections: ConnectionsArg,
    /// Trust this CA or self-signed server certificate (PEM), beside the system's roots.
    /// Example: --tls-ca certs/server.pem
    #[arg(long)]
    pub tls_ca: Option<std::path::PathBuf>,
    /// The name the server's certificate must prove, sent as SNI (default: the target's
    /// address, checked against the certificate's IP addresses). Example: --tls-server-name sbc.example.net
    #[arg(long)]
    pub tls_server_name: Option<String>,
    /// UDP: connect the socket to the target, so the kernel keeps the route (cheaper per
    /// datagram) and drops datagrams from any other address. Needs --shards 1, and every
    /// response and in-dialog request must come from the target (a proxy that
    /// record-routes, or the UAS itself).
    #[arg(long)]
    pub connect: bool,
    /// The old name of --calls: refused with a pointer to it.
    #[arg(long = "max-calls", hide = true)]
    pub renamed_max_calls: Option<String>,
    /// The old name of --max-concurrent: refused with a pointer to it.
    #[arg(long = "concurrency", hide = true)]
    pub renamed_concurrency: Option<String>,
}

/// `--transport`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TransportArg {
    /// Datagrams.
    Udp,
    /// TCP connections.
    Tcp,
    /// TLS over TCP (sips:).
    Tls,
}

/// `--connections`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ConnectionsArg {
    /// One per shard and server.
    PerShard,
    /// One per call.
    PerCall,
}

/// The engine configuration the flags describe.
pub fn engine_config(args: &Args) -> Result<Config, String> {
    if args.renamed_max_calls.is_some() {
        return Err("--max-calls is now --calls (calls to place in all)".into());
    }
    if args.renamed_concurrency.is_some() {
        return Err("--concurrency is now --max-concurrent (most calls up at once)".into());
    }
    let ms = Duration::from_millis;
    let transport = match args.transport {
        TransportArg::Udp => Transport::Udp,
        TransportArg::Tcp => Transport::Tcp,
        TransportArg::Tls => Transport::Tls,
    };
    let (b, listening) = args.common.apply_listen(Config::builder());
    let loopback: SocketAddr =
        (if args.target.is_ipv6() { "[::1]:0" } else { "127.0.0.1:0" }).parse().expect("literal address");
    let mut b = if listening { b } else { b.listen(loopback) };
    let listen = args.common.listen.first().map_or(loopback, |l| l.1);
    let tls = args.common.transport.tls_identity()?;
    // We listen on the calls' transport too (a server whose connection to
    // us broke connects back); on TLS only with a certificate.
    let own = args.common.listen.iter().any(|l| l.0 == transport);
    if !own && (transport == Transport::Tcp || (transport == Transport::Tls && tls.is_some())) {
        b = b.listen_on(transport, SocketAddr::new(listen.ip(), 0));
    }
    let host = |a: SocketAddr| match a {
        SocketAddr::V4(v) => v.to_string(),
        SocketAddr::V6(v) => format!("[{}]:{}", v.ip(), v.port()),
    };
    let target = match transport {
        Transport::Udp => format!("sip:{}@{}", args.service, host(args.target)),
        Transport::Tcp => format!("sip:{}@{};transport=tcp", args.service, host(args.target)),
        Transport::Tls => format!("sips:{}@{}", args.service, host(args.target)),
    };
    // No From: the engine names its own address on the calls' transport,
    // with the port it bound.
    let call = OutgoingCall::new(&target).hang_up_after(ms(args.duration_ms)).media(args.common.media.into());
    let plan = LoadPlan {
        call,
        rate: args.rate,
        max_calls: args.calls,
        concurrency: args.common.max_concurrent as u64,
        cancel_percent: args.cancel_percent,
    };
    let mut b = args
        .common
        .configure(b, None)
        .connection_reuse(match args.connections {
            ConnectionsArg::PerShard => ConnectionReuse::PerShard,
            ConnectionsArg::PerCall => ConnectionReuse::PerCall,
        })
        // The pacers split the concurrency by shard; the engine's call
        // limit makes the total exact (a share is never below one).
        .max_calls(args.common.max_concurrent)
        .max_inbox_delay(None)
        .policy(CallPolicy::default())
        .user_agent("sipbench-client")
        .load(plan)
        .event_capacity(None);
    if let Some(user) = &args.user {
        b = b.credentials(user, &args.password);
    }
    if args.connect {
        if transport != Transport::Udp {
            return Err("--connect is for --transport udp".into());
        }
        b = b.udp_peer(args.target);
    }
    if transport == Transport::Tls || tls.is_some() || args.tls_ca.is_some() {
        let mut t = tls.unwrap_or_else(TlsConfig::new);
        if let Some(ca) = &args.tls_ca {
            t = t.trust(sipbench::cli::read_pem("--tls-ca", ca)?);
        }
        if let Some(name) = &args.tls_server_name {
            t = t.server_name(name);
        }
        b = b.tls(t);
    }
    b.build().map_err(|e| e.to_string())
}
