//! The builder's transport settings: what to listen on (UDP, TCP, TLS),
//! TLS certificates and trust, limits on stream connections and how the
//! calls we place share them.

use std::net::SocketAddr;
use std::time::Duration;

use super::ConfigBuilder;
use crate::runtime::{ConnectionReuse, StreamLimits};
use crate::sip::Transport;
use crate::transport::tls::TlsConfig;

impl ConfigBuilder {
    /// Listen on UDP at `addr`, IPv4 or IPv6 (port 0: any free port).
    pub fn listen(self, addr: SocketAddr) -> Self {
        self.listen_on(Transport::Udp, addr)
    }

    /// Listen on transport `t` at `addr` as well (one address per
    /// transport; a second call replaces the first). Without any call the
    /// engine listens on UDP 127.0.0.1:5060; listening on TLS needs `tls`
    /// with a certificate.
    pub fn listen_on(mut self, t: Transport, addr: SocketAddr) -> Self {
        match self.listeners.iter_mut().find(|(lt, _)| *lt == t) {
            Some(l) => l.1 = addr,
            None => self.listeners.push((t, addr)),
        }
        self
    }

    /// Every UDP message to and from one peer, an outbound proxy or SBC
    /// that all calls go through: the UDP socket is connected to it, so
    /// the kernel keeps the route instead of looking one up per datagram,
    /// and drops datagrams from any other address. Needs `shards(1)`:
    /// connected sockets leave the SO_REUSEPORT spread.
    pub fn udp_peer(mut self, peer: SocketAddr) -> Self {
        self.udp.peer = Some(peer);
        self
    }

    /// With several shards, steer UDP datagrams to their call's shard in
    /// the kernel (needs CAP_BPF; the shards hand off what it cannot
    /// steer). On by default.
    pub fn kernel_steering(mut self, on: bool) -> Self {
        self.udp.kernel_steering = on;
        self
    }

    /// Send runs of equal-length UDP datagrams to one destination as one
    /// segmented send where the kernel offers it (on by default). Turn it
    /// off to load a multi-shard server on the same host: on loopback a
    /// run arrives unsplit, so the server's kernel steering sees only its
    /// first datagram and its shards hand the rest off.
    pub fn udp_segments(mut self, on: bool) -> Self {
        self.udp.segments = on;
        self
    }

    /// TLS certificates and trust (to listen on TLS, or call `sips:`).
    pub fn tls(mut self, tls: TlsConfig) -> Self {
        self.tls = Some(tls);
        self
    }

    /// All limits on TCP/TLS connections at once.
    pub fn stream_limits(mut self, limits: StreamLimits) -> Self {
        self.stream_limits = limits;
        self
    }

    /// TCP/TLS connections open at once over all shards.
    pub fn max_connections(mut self, n: usize) -> Self {
        self.stream_limits.max_connections = n;
        self
    }

    /// TCP/TLS connections accepted from one source address.
    pub fn max_connections_per_source(mut self, n: u32) -> Self {
        self.stream_limits.max_per_source = n;
        self
    }

    /// Close a connection with no traffic for this long.
    pub fn idle_timeout(mut self, d: Duration) -> Self {
        self.stream_limits.idle_timeout = d;
        self
    }

    /// A message's bytes (and a TLS handshake) must all arrive within this
    /// once the first has.
    pub fn message_timeout(mut self, d: Duration) -> Self {
        self.stream_limits.message_timeout = d;
        self
    }

    /// Output held for a peer that does not read before reading it stops.
    pub fn max_output(mut self, bytes: usize) -> Self {
        self.stream_limits.max_output = bytes;
        self
    }

    /// How the calls we place share connections (one per shard and peer,
    /// or one per call).
    pub fn connection_reuse(mut self, reuse: ConnectionReuse) -> Self {
        self.connection_reuse = reuse;
        self
    }
}
