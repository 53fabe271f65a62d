//! The builder's settings: whole-engine values with their defaults, set
//! one by one (checked and split by `build`).

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use crate::core::{
    AuthConfig, Credentials, Registrar, SessionTimerConfig, SourceLimit, SrtpPolicy, UriSchemes,
};
use crate::dialog::CallPolicy;
use crate::media::{MediaConfig, MediaMode};
use crate::runtime::{ConnectionReuse, LoadPlan, StreamLimits, UdpSettings};
use crate::sip::ParseLimits;
use crate::sip::Transport;
use crate::sip::sdp::Codec;
use crate::transport::tls::TlsConfig;
use crate::txn::TimerConfig;

/// Collects settings; [`ConfigBuilder::build`] checks them.
#[derive(Debug, Clone)]
pub struct ConfigBuilder {
    /// (transport, address), at most one per transport; none: UDP on
    /// 127.0.0.1:5060.
    pub(crate) listeners: Vec<(Transport, SocketAddr)>,
    pub(crate) shards: Option<usize>,
    pub(crate) pin: bool,
    pub(crate) timers: TimerConfig,
    pub(crate) max_calls: usize,
    pub(crate) max_transactions: usize,
    pub(crate) limits: ParseLimits,
    pub(crate) max_calls_per_source: Option<u32>,
    pub(crate) source_limit: Option<SourceLimit>,
    pub(crate) socket_buffer: usize,
    pub(crate) busy_poll: Option<Duration>,
    pub(crate) udp: UdpSettings,
    pub(crate) expected_rate: Option<f64>,
    pub(crate) max_inbox_delay: Option<Duration>,
    pub(crate) policy: CallPolicy,
    pub(crate) media: Option<MediaConfig>,
    pub(crate) media_timeout_hangup: bool,
    pub(crate) user_agent: String,
    pub(crate) contact_host: Option<String>,
    pub(crate) media_addr: Option<IpAddr>,
    pub(crate) codecs: Vec<Codec>,
    pub(crate) srtp: SrtpPolicy,
    pub(crate) event_capacity: Option<usize>,
    pub(crate) defer_timeout: Duration,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) auth: Option<AuthConfig>,
    pub(crate) session_timer: Option<SessionTimerConfig>,
    pub(crate) load: Option<LoadPlan>,
    pub(crate) uri_schemes: UriSchemes,
    pub(crate) registrar: Option<Registrar>,
    pub(crate) tls: Option<TlsConfig>,
    pub(crate) stream_limits: StreamLimits,
    pub(crate) connection_reuse: ConnectionReuse,
}

impl Default for ConfigBuilder {
    fn default() -> Self {
        ConfigBuilder {
            listeners: Vec::new(),
            shards: None,
            pin: true,
            timers: TimerConfig::default(),
            max_calls: 100_000,
            max_transactions: 500_000,
            limits: ParseLimits::default(),
            max_calls_per_source: None,
            source_limit: None,
            socket_buffer: 8 << 20,
            busy_poll: None,
            udp: UdpSettings::default(),
            expected_rate: None,
            max_inbox_delay: Some(Duration::from_millis(250)),
            policy: CallPolicy::default(),
            media: None,
            media_timeout_hangup: true,
            user_agent: "sipbench".into(),
            contact_host: None,
            media_addr: None,
            codecs: Codec::DEFAULT_ORDER.to_vec(),
            srtp: SrtpPolicy::default(),
            event_capacity: Some(65_536),
            defer_timeout: Duration::from_secs(60),
            credentials: None,
            auth: None,
            session_timer: None,
            load: None,
            uri_schemes: UriSchemes::default(),
            registrar: None,
            tls: None,
            stream_limits: StreamLimits::default(),
            connection_reuse: ConnectionReuse::default(),
        }
    }
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $t:ty => $field:ident;)*) => {
        $($(#[$doc])* pub fn $name(mut self, v: $t) -> Self {
            self.$field = v.into();
            self
        })*
    };
}

impl ConfigBuilder {
    setters! {
        /// Pin each shard to its own core when there are enough cores.
        pin: bool => pin;
        /// Simultaneous calls over all shards; beyond, new INVITEs get 503.
        max_calls: usize => max_calls;
        /// Live server transactions over all shards; beyond, a stateless 503.
        max_transactions: usize => max_transactions;
        /// Caps on parsing network input.
        parse_limits: ParseLimits => limits;
        /// SO_RCVBUF/SO_SNDBUF per socket, bytes.
        socket_buffer: usize => socket_buffer;
        /// After a poll that returned work, poll again without sleeping for
        /// this long before parking (fewer wake-ups for more CPU; off by default).
        busy_poll: Option<Duration> => busy_poll;
        /// The call rate to size the transaction tables for, calls/s over all
        /// shards: room for 64·T1 of lingering transactions from the start, so
        /// no table grows or rehashes under that load (a client's load plan
        /// sizes its own tables by itself).
        expected_rate: Option<f64> => expected_rate;
        /// While hand-offs wait longer than this, new INVITEs get 503.
        max_inbox_delay: Option<Duration> => max_inbox_delay;
        /// How the built-in policy handler answers (ring, answer, hang up, reject %).
        policy: CallPolicy => policy;
        /// Server / User-Agent header value.
        user_agent: &str => user_agent;
        /// Address written in SDP answers (default: the listen address).
        media_addr: IpAddr => media_addr;
        /// Codecs accepted, offered in this order (answers keep the offer's order).
        codecs: Vec<Codec> => codecs;
        /// SRTP (SDES keys in SDP): off, optional (follow the offer; the default) or mandatory.
        srtp: SrtpPolicy => srtp;
        /// After a media timeout, end the call (true) or only report it.
        hang_up_on_media_timeout: bool => media_timeout_hangup;
        /// Request-URI schemes served (sip, sips and tel by default); others get 416.
        uri_schemes: UriSchemes => uri_schemes;
        /// A deferred call still unanswered after this gets 480.
        defer_timeout: Duration => defer_timeout;
        /// Calls placed by the engine itself, each shard pacing its share.
        load: LoadPlan => load;
        /// Shard threads (default: one per core).
        shards: usize => shards;
    }

    /// Credentials for 401/407 challenges to the calls the engine places.
    pub fn credentials(mut self, user: &str, password: &str) -> Self {
        self.credentials = Some(Credentials { user: user.to_owned(), password: password.to_owned() });
        self
    }

    /// Answers REGISTER with this in-memory registrar (default: none, and
    /// REGISTER gets 405). Keep a clone to read its bindings.
    pub fn registrar(mut self, registrar: Registrar) -> Self {
        self.registrar = Some(registrar);
        self
    }

    /// RFC 3261 timers T1, T2 and T4.
    pub fn timers(mut self, t1: Duration, t2: Duration, t4: Duration) -> Self {
        self.timers = TimerConfig { t1, t2, t4 };
        self
    }

    /// Largest datagram accepted, bytes.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.limits.max_message_size = bytes;
        self
    }

    /// Runs the RTP relay pool with these settings (default: no media).
    pub fn media(mut self, media: MediaConfig) -> Self {
        self.media = (media.mode != MediaMode::Off).then_some(media);
        self
    }

    /// Host (name or address) in our Contact (default: the listen address).
    pub fn contact_host(mut self, host: &str) -> Self {
        self.contact_host = Some(host.to_owned());
        self
    }

    /// Events the stream holds before new ones are dropped and counted
    /// (None: produce no events at all, the fastest).
    pub fn event_capacity(mut self, capacity: Option<usize>) -> Self {
        self.event_capacity = capacity;
        self
    }
}
