//! Session-level types (`o=`, `c=`) and their line parsers.

use std::net::IpAddr;

use smallvec::SmallVec;

use super::direction::Direction;
use super::error::{SdpError, SdpErrorKind};
use super::lines::{Fields, parse_num};
use super::media::MediaDescription;

/// A parsed SDP body. All strings borrow from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDescription<'a> {
    /// `o=` line.
    pub origin: Origin<'a>,
    /// `s=` line (often `-`).
    pub session_name: &'a str,
    /// Session-level `c=`, the default for media without their own.
    pub connection: Option<Connection<'a>>,
    /// Session-level direction attribute, the default for media without their own.
    pub direction: Option<Direction>,
    /// `m=` sections in order, at most [`MAX_MEDIA`](super::MAX_MEDIA).
    /// Inline for the usual one or two: parsing an offer allocates nothing.
    pub media: SmallVec<[MediaDescription<'a>; 2]>,
}

/// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin<'a> {
    /// User name.
    pub username: &'a str,
    /// Session id.
    pub session_id: u64,
    /// Bumped by the peer on every changed offer; equal version = no change.
    pub session_version: u64,
    /// Network type (IN).
    pub net_type: &'a str,
    /// Address type (IP4, IP6).
    pub addr_type: &'a str,
    /// Address.
    pub address: &'a str,
}

/// `IP4` or `IP6` in a `c=` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddrType {
    /// IPv4.
    Ip4,
    /// IPv6.
    Ip6,
}

impl AddrType {
    /// The SDP token, `IP4` or `IP6`.
    pub const fn as_str(self) -> &'static str {
        match self {
            AddrType::Ip4 => "IP4",
            AddrType::Ip6 => "IP6",
        }
    }
}

/// `c=IN <addrtype> <address>`. A multicast `/ttl[/count]` suffix is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connection<'a> {
    /// IPv4 or IPv6.
    pub addr_type: AddrType,
    /// A literal IP in practice; RFC 4566 also allows an FQDN, hence `&str`.
    pub address: &'a str,
    /// `address` as an IP, read once by the parser: negotiation and the
    /// hold check each ask for it.
    ip: Option<IpAddr>,
}

impl<'a> Connection<'a> {
    /// A connection to `address` (an IP literal or an FQDN).
    pub fn new(addr_type: AddrType, address: &'a str) -> Self {
        Connection { addr_type, address, ip: crate::sip::lex::ip_literal::parse_ip(address) }
    }

    /// The address as an IP, `None` for an FQDN or garbage.
    pub fn ip(&self) -> Option<IpAddr> {
        self.ip
    }

    /// `0.0.0.0` (RFC 2543 hold, still sent by old UAs) or `::`.
    pub fn is_null_hold(&self) -> bool {
        self.ip().is_some_and(|ip| ip.is_unspecified())
    }
}

pub(super) fn parse_origin(value: &str, offset: usize) -> Result<Origin<'_>, SdpError> {
    use SdpErrorKind::BadOrigin;
    let mut f = Fields::new(value, offset);
    let (username, _) = f.field(BadOrigin)?;
    let (id, id_at) = f.field(BadOrigin)?;
    let session_id = parse_num(id).ok_or(SdpError::new(BadOrigin, id_at))?;
    let (version, version_at) = f.field(BadOrigin)?;
    let session_version = parse_num(version).ok_or(SdpError::new(BadOrigin, version_at))?;
    let (net_type, _) = f.field(BadOrigin)?;
    let (addr_type, _) = f.field(BadOrigin)?;
    let (address, _) = f.field(BadOrigin)?;
    Ok(Origin { username, session_id, session_version, net_type, addr_type, address })
}

pub(super) fn parse_connection(value: &str, offset: usize) -> Result<Connection<'_>, SdpError> {
    use SdpErrorKind::BadConnection;
    let mut f = Fields::new(value, offset);
    let (net_type, at) = f.field(BadConnection)?;
    if !net_type.eq_ignore_ascii_case("IN") {
        return Err(SdpError::new(BadConnection, at));
    }
    let (addr_type, at) = f.field(BadConnection)?;
    let addr_type = if addr_type.eq_ignore_ascii_case("IP4") {
        AddrType::Ip4
    } else if addr_type.eq_ignore_ascii_case("IP6") {
        AddrType::Ip6
    } else {
        return Err(SdpError::new(BadConnection, at));
    };
    let (address, at) = f.field(BadConnection)?;
    let address = match crate::sip::lex::find_byte(address.as_bytes(), b'/') {
        Some(slash) => address.get(..slash).unwrap_or(""),
        None => address,
    };
    if address.is_empty() {
        return Err(SdpError::new(BadConnection, at));
    }
    Ok(Connection::new(addr_type, address))
}
