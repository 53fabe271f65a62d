//! Where a response goes: RFC 3261 §18.2.2 with RFC 3581 (rport).

use std::net::SocketAddr;

use crate::sip::Via;

/// For UDP: with `rport` in the top Via, back to the source address and
/// port; with `maddr`, to it (port from sent-by or 5060); otherwise to the
/// source IP (the `received` address) at the sent-by port, 5060 by default.
pub fn response_destination(via: &Via<'_>, source: SocketAddr) -> SocketAddr {
    destination(via.rport().is_some(), via.port, via.maddr(), source)
}

/// `response_destination` from the three parts of the Via it reads.
pub(crate) fn destination(
    rport: bool,
    port: Option<u16>,
    maddr: Option<&str>,
    source: SocketAddr,
) -> SocketAddr {
    if rport {
        return source;
    }
    let port = port.unwrap_or(5060);
    if let Some(ip) = maddr.and_then(|m| m.parse().ok()) {
        return SocketAddr::new(ip, port);
    }
    SocketAddr::new(source.ip(), port)
}
