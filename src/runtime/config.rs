//! How to run the shards: the runtime's configuration.

use std::net::SocketAddr;
use std::time::Duration;

use crate::core::CoreConfig;
use crate::sip::Transport;
use crate::transport::tls::TlsContexts;

use super::streams::{ConnectionReuse, StreamLimits};

/// How to run the shards.
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// What to listen on: at most one address per transport, the first
    /// being the engine's primary address (IPv4 or IPv6). Every shard
    /// binds each one (SO_REUSEPORT).
    pub listeners: Vec<(Transport, SocketAddr)>,
    /// Shard threads.
    pub shards: usize,
    /// Pin each shard to its own core (when there are enough cores).
    pub pin: bool,
    /// SO_RCVBUF/SO_SNDBUF per socket.
    pub socket_buffer: usize,
    /// After a poll that returned work, keep polling without sleeping for
    /// this long before parking (`None`: park at once).
    pub busy_poll: Option<Duration>,
    /// How the UDP sockets share and send datagrams.
    pub udp: UdpSettings,
    /// Calls/s over all shards that the server transaction tables are
    /// sized for at start (`None`: they grow with the load).
    pub expected_rate: Option<f64>,
    /// Datagrams each shard's inbox holds before hand-offs are dropped.
    pub inbox_capacity: usize,
    /// Overload threshold: while handed-off datagrams wait longer than
    /// this in a shard's inbox, the shard answers new INVITEs 503
    /// (`None`: never).
    pub max_inbox_delay: Option<Duration>,
    /// The core's configuration (the shard number is set per shard).
    pub core: CoreConfig,
    /// The RTP relay pool (`None`: answer without media).
    pub media: Option<crate::media::MediaConfig>,
    /// End a call with BYE when its media times out.
    pub media_timeout_hangup: bool,
    /// The application's event stream (None: no events are produced).
    pub events: Option<super::EventSender>,
    /// Calls the shards place by themselves, each pacing its share.
    pub load: Option<super::LoadPlan>,
    /// TLS contexts (needed to listen on or call over TLS).
    pub tls: Option<TlsContexts>,
    /// Limits on TCP/TLS connections (totals: each shard gets its share).
    pub stream_limits: StreamLimits,
    /// How the calls we place share connections.
    pub connection_reuse: ConnectionReuse,
}

/// How the shards' UDP sockets share and send datagrams.
#[derive(Debug, Clone, Copy)]
pub struct UdpSettings {
    /// With several shards, ask the kernel to put each datagram on the
    /// socket of its call's shard (eBPF on the SO_REUSEPORT group).
    pub kernel_steering: bool,
    /// Connect the socket to this peer (one shard only): all UDP goes to
    /// and comes from it.
    pub peer: Option<SocketAddr>,
    /// Send a run of equal-length datagrams to one destination as one
    /// segmented send (UDP_SEGMENT) where the kernel offers it. On
    /// loopback the run reaches the receiver unsplit, so a receiver's
    /// SO_REUSEPORT steering sees only its first datagram: a load
    /// generator feeding a multi-shard server on the same host turns
    /// this off.
    pub segments: bool,
}

impl Default for UdpSettings {
    fn default() -> Self {
        UdpSettings { kernel_steering: true, peer: None, segments: true }
    }
}

impl RuntimeConfig {
    /// The address configured for transport `t`.
    pub fn listener(&self, t: Transport) -> Option<SocketAddr> {
        self.listeners.iter().find(|(lt, _)| *lt == t).map(|(_, a)| *a)
    }
}
