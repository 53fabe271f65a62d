//! What one shard's core needs to know: addresses, timers, limits, the
//! answering policy and media parameters.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use crate::dialog::CallPolicy;
use crate::sip::{ParseLimits, Transport};
use crate::txn::TimerConfig;

/// Configuration of one `ShardCore`.
#[derive(Debug, Clone)]
pub struct CoreConfig {
    /// This shard's number (keeps tags and branches unique across the
    /// shards that share `id_key`).
    pub shard: u16,
    /// How many shards share the address: Call-IDs of the calls we place
    /// hash to this shard (`hash % shards == shard`).
    pub shards: u16,
    /// The address we listen on (Via sent-by and Contact of our messages).
    pub local: SocketAddr,
    /// Our TCP listener, when there is one (Via sent-by and Contact of
    /// what we send over TCP; None: `local`).
    pub local_tcp: Option<SocketAddr>,
    /// Our TLS listener, the same for TLS.
    pub local_tls: Option<SocketAddr>,
    /// RFC 3261 timer values.
    pub timers: TimerConfig,
    /// Default answering policy.
    pub policy: CallPolicy,
    /// Caps for parsing network input.
    pub limits: ParseLimits,
    /// Most simultaneous calls before new INVITEs get 503 (and calls we
    /// place are refused): over every core that shares `shared_limits`,
    /// else over this core.
    pub max_calls: usize,
    /// Most live server transactions before new out-of-dialog requests
    /// get a stateless 503 (in-dialog requests of existing calls still
    /// pass and count): over the cores sharing `shared_limits` too.
    pub max_transactions: usize,
    /// The counts behind `max_calls` and `max_transactions` when several
    /// cores share them (an engine's shards); built from the same values.
    /// `None`: this core counts alone.
    pub shared_limits: Option<crate::core::SharedLimits>,
    /// Value of Server/User-Agent.
    pub user_agent: String,
    /// Address written in SDP answers.
    pub media_addr: IpAddr,
    /// Where RTP ports come from.
    pub rtp_ports: RtpPortSource,
    /// Produce application events (off saves work when nobody listens).
    pub events: bool,
    /// Token bucket per source address for new out-of-dialog requests.
    pub source_limit: Option<crate::core::SourceLimit>,
    /// Most live calls from one source address (503 beyond).
    pub max_calls_per_source: Option<u32>,
    /// A deferred call still unanswered after this gets 480.
    pub defer_timeout: std::time::Duration,
    /// Codecs we accept, and offer in this order (an answer keeps the
    /// offer's order, RFC 3264 §6.1).
    pub codecs: Vec<crate::sip::sdp::Codec>,
    /// Host part of our Contact (None: the listen address).
    pub contact_host: Option<String>,
    /// Session timers of the calls we answer (None: Session-Expires is
    /// ignored and no session is refreshed or watched).
    pub session_timer: Option<crate::core::SessionTimerConfig>,
    /// Digest authentication of the requests we answer (None: none).
    pub auth: Option<crate::core::AuthConfig>,
    /// Username and password for digest challenges to calls we place.
    pub credentials: Option<Credentials>,
    /// Request-URI schemes served; others get 416.
    pub uri_schemes: crate::core::UriSchemes,
    /// The in-memory registrar that answers REGISTER (None: 405).
    pub registrar: Option<crate::core::Registrar>,
    /// The secret behind our tags, branches and Call-IDs (a fresh random
    /// one by default).
    pub id_key: crate::core::IdKey,
    /// Whether calls are encrypted (SRTP, SDES keys in SDP).
    pub srtp: crate::core::SrtpPolicy,
    /// The secret our SRTP master keys are minted from (a fresh random
    /// one by default; apart from `id_key`, so a fixed `id_key` never
    /// fixes media keys).
    pub srtp_key: crate::core::IdKey,
}

impl CoreConfig {
    /// Our address on transport `t` (Via sent-by, Contact).
    pub fn local_for(&self, t: Transport) -> SocketAddr {
        match t {
            Transport::Udp => self.local,
            Transport::Tcp => self.local_tcp.unwrap_or(self.local),
            Transport::Tls => self.local_tls.unwrap_or(self.local),
        }
    }
}

/// Where a call's RTP port pair comes from (even RTP port, RTCP on the
/// next odd one). The core never binds a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RtpPortSource {
    /// No media runs: ports of `first..end` are named in turn, never
    /// bound and never exhausted.
    Named {
        /// The first port.
        first: u16,
        /// The end of the range (exclusive).
        end: u16,
    },
    /// The runtime binds pairs ahead and keeps the core's stock filled
    /// (`ShardCore::stock_rtp_port`); a call finding it empty gets 503.
    Stock,
}

/// Digest credentials (RFC 3261 §22.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Username.
    pub user: String,
    /// Password.
    pub password: String,
}

impl Default for CoreConfig {
    fn default() -> Self {
        CoreConfig {
            shard: 0,
            shards: 1,
            local: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 5060),
            local_tcp: None,
            local_tls: None,
            timers: TimerConfig::default(),
            policy: CallPolicy::default(),
            limits: ParseLimits::default(),
            max_calls: 100_000,
            max_transactions: 500_000,
            user_agent: "sipbench".to_string(),
            media_addr: IpAddr::V4(Ipv4Addr::LOCALHOST),
            rtp_ports: RtpPortSource::Named { first: 20_000, end: 40_000 },
            events: true,
            source_limit: None,
            max_calls_per_source: None,
            defer_timeout: std::time::Duration::from_secs(60),
            codecs: crate::sip::sdp::Codec::DEFAULT_ORDER.to_vec(),
            contact_host: None,
            credentials: None,
            auth: None,
            session_timer: None,
            uri_schemes: crate::core::UriSchemes::default(),
            registrar: None,
            id_key: crate::core::IdKey::from_os(),
            srtp: crate::core::SrtpPolicy::default(),
            srtp_key: crate::core::IdKey::from_os(),
            shared_limits: None,
        }
    }
}
