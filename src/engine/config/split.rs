//! `ConfigBuilder::build`: the checks, then the whole-engine settings
//! split into each shard's share (the core's and the runtime's parts
//! apart). The call and transaction limits are shared counts over all
//! shards (`SharedLimits`); the per-source limits are divided, each shard
//! holding its share of a source's requests and calls (the Call-ID hash
//! spreads them evenly, so the sum is right for many calls, and a share
//! is never below one).

use std::net::{Ipv4Addr, SocketAddr};

use super::{Config, ConfigBuilder, checks};
use crate::core::{CoreConfig, RtpPortSource, SharedLimits, SourceLimit};
use crate::engine::error::ConfigError;
use crate::runtime::RuntimeConfig;
use crate::sip::Transport;
use crate::transport::tls::{TlsConfig, TlsContexts};

impl ConfigBuilder {
    /// Checks every setting; the error names the first field refused.
    pub fn build(self) -> Result<Config, ConfigError> {
        checks::check(&self)?;
        let shards =
            self.shards.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let share = |n: u32| n.div_ceil(shards as u32).max(1);
        let listeners = if self.listeners.is_empty() {
            vec![(Transport::Udp, SocketAddr::new(Ipv4Addr::LOCALHOST.into(), 5060))]
        } else {
            self.listeners.clone()
        };
        let primary = listeners[0].1;
        let load_tls = self.load.as_ref().is_some_and(|l| l.call.transport() == Ok(Transport::Tls));
        let tls = match (&self.tls, load_tls) {
            (Some(cfg), _) => Some(cfg.clone()),
            (None, true) => Some(TlsConfig::new()),
            (None, false) => None,
        };
        let tls = match tls {
            Some(cfg) => {
                Some(TlsContexts::build(&cfg).map_err(|reason| ConfigError { field: "tls", reason })?)
            }
            None => None,
        };
        let media_addr = self.media_addr.unwrap_or(match primary.ip() {
            ip if ip.is_unspecified() => Ipv4Addr::LOCALHOST.into(),
            ip => ip,
        });
        let core = CoreConfig {
            policy: self.policy,
            timers: self.timers,
            max_calls: self.max_calls,
            max_transactions: self.max_transactions,
            shared_limits: Some(SharedLimits::new(self.max_calls, self.max_transactions, shards)),
            limits: self.limits,
            user_agent: self.user_agent,
            media_addr,
            rtp_ports: match &self.media {
                Some(m) => RtpPortSource::Named { first: m.ports.0, end: m.ports.1 },
                None => RtpPortSource::Named { first: 20_000, end: 40_000 },
            },
            events: self.event_capacity.is_some(),
            source_limit: self.source_limit.map(|l| SourceLimit {
                rate: share(l.rate),
                burst: share(l.burst),
                ..l
            }),
            max_calls_per_source: self.max_calls_per_source.map(share),
            defer_timeout: self.defer_timeout,
            codecs: self.codecs,
            srtp: self.srtp,
            contact_host: self.contact_host,
            credentials: self.credentials,
            auth: self.auth,
            session_timer: self.session_timer,
            uri_schemes: self.uri_schemes,
            registrar: self.registrar,
            ..CoreConfig::default()
        };
        let runtime = RuntimeConfig {
            listeners,
            shards,
            pin: self.pin,
            socket_buffer: self.socket_buffer,
            busy_poll: self.busy_poll,
            udp: self.udp,
            expected_rate: self.expected_rate,
            inbox_capacity: 65_536,
            max_inbox_delay: self.max_inbox_delay,
            core,
            media: self.media,
            media_timeout_hangup: self.media_timeout_hangup,
            events: None,
            load: self.load,
            tls,
            stream_limits: self.stream_limits,
            connection_reuse: self.connection_reuse,
        };
        Ok(Config { runtime, event_capacity: self.event_capacity })
    }
}
