//! Limits on stream connections, with safe defaults, and how the calls we
//! place share connections.

use std::time::Duration;

/// Limits on TCP/TLS connections. In `Config` they are totals; the
/// runtime gives each shard its share of the two counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    /// Connections open at once (accepted and opened); beyond, new ones
    /// are refused at accept.
    pub max_connections: usize,
    /// Connections accepted from one source address.
    pub max_per_source: u32,
    /// A connection with no traffic either way for this long is closed.
    pub idle_timeout: Duration,
    /// Once the first byte of a message (or of the TLS handshake) has
    /// arrived, the whole of it must arrive within this (slowloris).
    pub message_timeout: Duration,
    /// Output waiting for a peer that does not read: beyond it we stop
    /// reading that connection; at four times it, or when it has not moved
    /// for `message_timeout`, the connection is closed.
    pub max_output: usize,
}

impl Default for StreamLimits {
    fn default() -> Self {
        StreamLimits {
            max_connections: 16_384,
            max_per_source: 4_096,
            idle_timeout: Duration::from_secs(120),
            message_timeout: Duration::from_secs(10),
            max_output: 256 * 1024,
        }
    }
}

impl StreamLimits {
    /// One of `shards` shards' share (connections spread over the shards'
    /// listeners by the kernel).
    pub fn share(&self, shards: usize) -> StreamLimits {
        let shards = shards.max(1);
        StreamLimits {
            max_connections: self.max_connections.div_ceil(shards).max(1),
            max_per_source: self.max_per_source.div_ceil(shards as u32).max(1),
            ..*self
        }
    }
}

/// How the calls we place share connections to a peer (SIPp's `t1` and
/// `tn`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConnectionReuse {
    /// One connection per shard and peer, carrying every call.
    #[default]
    PerShard,
    /// A connection of its own for each call, closed when the call ends.
    PerCall,
}
