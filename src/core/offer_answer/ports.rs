//! The RTP port numbers a shard's calls write in their SDP. The core only
//! names ports: with a media pool the runtime binds pairs ahead and keeps
//! the stock filled, so the SDP carries a port that is really ours; without
//! one, ports of a range are named in turn.

use crate::core::{RtpPortSource, ShardCore};

/// The shard's RTP port numbers.
#[derive(Debug)]
pub(crate) enum RtpPorts {
    Named { first: u16, end: u16, next: u16 },
    Stock(Vec<u16>),
}

impl RtpPorts {
    pub(crate) fn new(source: RtpPortSource) -> RtpPorts {
        match source {
            RtpPortSource::Named { first, end } => {
                let first = first + first % 2;
                RtpPorts::Named { first, end: end.max(first + 2), next: first }
            }
            RtpPortSource::Stock => RtpPorts::Stock(Vec::new()),
        }
    }

    /// A port pair for a new call, or None when the stock is empty.
    pub(crate) fn take(&mut self) -> Option<u16> {
        match self {
            RtpPorts::Named { first, end, next } => {
                let p = *next;
                *next = if p + 2 >= *end { *first } else { p + 2 };
                Some(p)
            }
            RtpPorts::Stock(free) => free.pop(),
        }
    }

    /// Ports are only named: no media layer runs.
    pub(crate) fn named(&self) -> bool {
        matches!(self, RtpPorts::Named { .. })
    }

    /// A pair whose media never opened: still bound, so back to the stock.
    pub(crate) fn give_back(&mut self, port: u16) {
        if let RtpPorts::Stock(free) = self {
            free.push(port);
        }
    }
}

impl ShardCore {
    /// A pair the runtime bound (RTP on `port`, RTCP on the next): calls
    /// take from these. The runtime keeps the sockets and looks them up
    /// by port when a call's media opens.
    pub fn stock_rtp_port(&mut self, port: u16) {
        if let RtpPorts::Stock(free) = &mut self.ports {
            free.push(port);
        }
    }

    /// Bound pairs not yet taken (None: ports are named, not stocked).
    pub fn rtp_ports_in_stock(&self) -> Option<usize> {
        match &self.ports {
            RtpPorts::Stock(free) => Some(free.len()),
            RtpPorts::Named { .. } => None,
        }
    }
}
