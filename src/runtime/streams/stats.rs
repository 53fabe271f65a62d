//! Connection counters of a shard: opened, refused and closed by cause,
//! and gauges of the connections open now, per transport.

use crate::sip::Transport;
use crate::transport::stream::{CloseCause, RefuseCause};

/// A shard's (or the merged) connection counters. Arrays by transport are
/// indexed by `Transport::index` (the UDP slot stays 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConnStats {
    /// Connections accepted, by transport.
    pub accepted: [u64; 3],
    /// Connections we opened, by transport.
    pub opened: [u64; 3],
    /// Connections open now, by transport (a gauge).
    pub open: [u64; 3],
    /// Connections refused at accept, by `RefuseCause::index`.
    pub refused: [u64; 3],
    /// Connections closed, by `CloseCause::index`.
    pub closed: [u64; 11],
    /// Messages framed off streams.
    pub messages_in: u64,
    /// Double-CRLF pings answered (RFC 5626 §4.4.1).
    pub pings: u64,
    /// Messages for a connection that was gone and could not be opened
    /// again (or whose owner's queue was full).
    pub undeliverable: u64,
}

impl ConnStats {
    /// Adds another shard's counters.
    pub fn merge(&mut self, o: &ConnStats) {
        let add = |a: &mut [u64], b: &[u64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.accepted, &o.accepted);
        add(&mut self.opened, &o.opened);
        add(&mut self.open, &o.open);
        add(&mut self.refused, &o.refused);
        add(&mut self.closed, &o.closed);
        self.messages_in += o.messages_in;
        self.pings += o.pings;
        self.undeliverable += o.undeliverable;
    }

    /// Connections closed for `cause`.
    pub fn closed_by(&self, cause: CloseCause) -> u64 {
        self.closed[cause.index()]
    }

    /// Connections refused for `cause`.
    pub fn refused_by(&self, cause: RefuseCause) -> u64 {
        self.refused[cause.index()]
    }

    /// Open now over `t`.
    pub fn open_on(&self, t: Transport) -> u64 {
        self.open[t.index()]
    }

    /// Closed for any cause but a normal one (the peer closing between
    /// messages, our own release, shutdown).
    pub fn closed_abnormally(&self) -> u64 {
        CloseCause::ALL
            .iter()
            .filter(|c| !matches!(c, CloseCause::PeerClosed | CloseCause::Released | CloseCause::Shutdown))
            .map(|c| self.closed[c.index()])
            .sum()
    }

    /// Refused for any cause.
    pub fn refused_total(&self) -> u64 {
        self.refused.iter().sum()
    }
}
