//! The Via header (RFC 3261 §20.42, RFC 3581 rport): the general parser
//! and its view here; the one-pass parser of the usual shape (`plain`),
//! the spans a message remembers of its top Via (`cuts`), and the top Via
//! a response carries back (`response`).

mod cuts;
mod known;
pub(crate) mod plain;
mod response;

use std::net::IpAddr;

pub(crate) use cuts::ViaCuts;
use known::KnownParams;
pub(crate) use response::put_top_via;

use super::params::Params;
use crate::sip::error::{ParseError, ParseErrorKind};
use crate::sip::lex;

/// The branch magic cookie of RFC 3261 §8.1.1.7.
pub const MAGIC_COOKIE: &str = "z9hG4bK";

/// One Via value: sent-protocol, sent-by and parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Via<'a> {
    /// Protocol name, e.g. `SIP` (LWS around `/` is legal, so name,
    /// version and transport are separate slices).
    pub protocol: &'a str,
    /// Protocol version, e.g. `2.0`.
    pub version: &'a str,
    /// Transport, e.g. `UDP`.
    pub transport: &'a str,
    /// Host of sent-by; IPv6 without brackets.
    pub host: &'a str,
    /// Port of sent-by.
    pub port: Option<u16>,
    /// sent-by as written (`host[:port]`, IPv6 bracketed).
    pub sent_by: &'a str,
    pub(super) params: &'a str,
    /// The parameters the transaction layer reads on every message,
    /// found in the one pass `parse` makes.
    pub(super) known: KnownParams<'a>,
}

fn bad(at: usize) -> ParseError {
    ParseError::new(ParseErrorKind::BadHeaderValue("Via"), at)
}

impl<'a> Via<'a> {
    /// Parses one Via value (not a comma-joined list).
    pub fn parse(value: &'a str) -> Result<Via<'a>, ParseError> {
        match plain::parse_whole(value) {
            Some(via) => Ok(via),
            None => Self::parse_general(value),
        }
    }

    /// Any Via value the grammar allows (LWS around separators, IPv6,
    /// quoted parameters).
    pub(super) fn parse_general(value: &'a str) -> Result<Via<'a>, ParseError> {
        let b = value.as_bytes();
        let s1 = memchr::memchr(b'/', b).ok_or(bad(0))?;
        let s2 = s1 + 1 + memchr::memchr(b'/', &b[s1 + 1..]).ok_or(bad(s1))?;
        let protocol = lex::trim_str(lex::sub(value, 0, s1));
        let version = lex::trim_str(lex::sub(value, s1 + 1, s2));
        let mut i = s2 + 1;
        while i < b.len() && lex::is_lws(b[i]) {
            i += 1;
        }
        let t_start = i;
        while i < b.len() && !lex::is_lws(b[i]) {
            i += 1;
        }
        let transport = lex::sub(value, t_start, i);
        let rest = lex::trim_str(lex::sub(value, i, value.len()));
        let rest_at = value.len() - lex::sub(value, i, value.len()).trim_start().len();
        let semi = rest.find(';').unwrap_or(rest.len());
        let sent_by = lex::trim_str(&rest[..semi]);
        let params = &rest[semi..];
        if protocol.is_empty() || version.is_empty() || transport.is_empty() || sent_by.is_empty() {
            return Err(bad(t_start));
        }
        let (host, port) = split_host_port(sent_by).ok_or(bad(rest_at))?;
        if let Some(at) = empty_param(params) {
            return Err(bad(rest_at + semi + at));
        }
        let known = KnownParams::scan(params);
        Ok(Via { protocol, version, transport, host, port, sent_by, params, known })
    }

    /// Via parameters.
    pub fn params(&self) -> Params<'a> {
        Params::new(self.params)
    }

    /// A parameter's value (`Some("")` when present without value).
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.params().get(name)
    }

    /// The `branch` parameter.
    pub fn branch(&self) -> Option<&'a str> {
        self.known.branch
    }

    /// Whether the branch carries the RFC 3261 magic cookie.
    pub fn is_rfc3261_branch(&self) -> bool {
        self.branch().is_some_and(|b| b.starts_with(MAGIC_COOKIE))
    }

    /// The `received` parameter.
    pub fn received(&self) -> Option<&'a str> {
        self.known.received
    }

    /// `rport`: `None` when absent, `Some(None)` when present without a
    /// value (a request asking for it), `Some(Some(p))` with a value.
    pub fn rport(&self) -> Option<Option<u16>> {
        self.known.rport.map(|v| v.parse().ok())
    }

    /// The `maddr` parameter.
    pub fn maddr(&self) -> Option<&'a str> {
        self.known.maddr
    }

    /// The `ttl` parameter.
    pub fn ttl(&self) -> Option<u8> {
        self.param("ttl").and_then(|t| t.parse().ok())
    }

    /// The sent-by host as an IP address, when it is one.
    pub fn host_ip(&self) -> Option<IpAddr> {
        lex::ip_literal::parse_ip(self.host)
    }
}

/// Where a parameter without a name begins (`;;`, `;=x`, a trailing `;`),
/// in a `;`-led parameter region: `*( SEMI via-params )` has none (RFC
/// 3261 §20.42; RFC 4475 §3.1.2.1).
fn empty_param(params: &str) -> Option<usize> {
    let b = params.as_bytes();
    let mut at = 0;
    while at < b.len() {
        let end = lex::find_unquoted(&b[at + 1..], b';').map_or(b.len(), |i| at + 1 + i);
        let (name, _) = lex::split_param(lex::sub(params, at + 1, end));
        if name.is_empty() {
            return Some(at);
        }
        at = end;
    }
    None
}

/// `host[:port]` with IPv6 in brackets.
pub(crate) fn split_host_port(s: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(v6) = s.strip_prefix('[') {
        let close = v6.find(']')?;
        let after = &v6[close + 1..];
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (&v6[..close], port)
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    let valid = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b':' | b'_');
    if host.is_empty() || !host.bytes().all(valid) {
        return None;
    }
    let port = match port {
        Some(p) => Some(p.trim().parse::<u16>().ok()?),
        None => None,
    };
    Some((host, port))
}
