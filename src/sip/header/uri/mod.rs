//! SIP, SIPS (RFC 3261 §19.1) and tel (RFC 3966) URIs, read in place.
//! Unknown schemes are kept opaque (RFC 4475 §3.1.1.13).

mod escape;

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::params::Params;
use crate::sip::error::{ParseError, ParseErrorKind};
use escape::{check_escapes, unescape};

/// The URI scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `sip:`
    Sip,
    /// `sips:`
    Sips,
    /// `tel:`
    Tel,
    /// Any other scheme; the rest of the URI is opaque.
    Other,
}

/// The host part of a SIP URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host<'a> {
    /// A domain name (not validated against DNS rules beyond characters).
    Name(&'a str),
    /// An IPv4 address.
    V4(Ipv4Addr),
    /// An IPv6 reference, written `[...]` in the URI.
    V6(Ipv6Addr),
}

/// A parsed URI: slices of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uri<'a> {
    /// The whole URI as written.
    pub raw: &'a str,
    /// Scheme.
    pub scheme: Scheme,
    /// User part (escaped as written); the number for `tel:`.
    pub user: Option<&'a str>,
    /// Password after `user:` (deprecated, RFC 3261 §19.1.1).
    pub password: Option<&'a str>,
    /// Host (`None` for tel and unknown schemes).
    pub host: Option<Host<'a>>,
    /// Host text as written (IPv6 brackets included).
    pub host_str: &'a str,
    /// Explicit port.
    pub port: Option<u16>,
    params: &'a str,
    /// Header part after `?` (escaped as written).
    pub headers: &'a str,
}

fn bad(at: usize) -> ParseError {
    ParseError::new(ParseErrorKind::BadUri, at)
}

impl<'a> Uri<'a> {
    /// Parses a URI; errors carry the offset within `s`.
    pub fn parse(s: &'a str) -> Result<Uri<'a>, ParseError> {
        let colon = s.find(':').ok_or(bad(0))?;
        let scheme_text = &s[..colon];
        if scheme_text.is_empty()
            || !scheme_text.bytes().all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
        {
            return Err(bad(0));
        }
        let scheme = [("sip", Scheme::Sip), ("sips", Scheme::Sips), ("tel", Scheme::Tel)]
            .into_iter()
            .find(|(name, _)| scheme_text.eq_ignore_ascii_case(name))
            .map_or(Scheme::Other, |(_, scheme)| scheme);
        let rest = &s[colon + 1..];
        let base = colon + 1;
        let mut uri = Uri {
            raw: s,
            scheme,
            user: None,
            password: None,
            host: None,
            host_str: "",
            port: None,
            params: "",
            headers: "",
        };
        if rest.bytes().any(|c| c <= b' ' || c == 0x7f) {
            return Err(bad(base));
        }
        match scheme {
            Scheme::Other => Ok(uri),
            Scheme::Tel => {
                let (number, params) = rest.split_once(';').unwrap_or((rest, ""));
                if number.is_empty()
                    || !number.bytes().all(|c| c.is_ascii_hexdigit() || b"+-.()*#pw".contains(&c))
                {
                    return Err(bad(base));
                }
                uri.user = Some(number);
                uri.params = params;
                Ok(uri)
            }
            Scheme::Sip | Scheme::Sips => {
                // `?` is legal in the user part (user-unreserved) and `@` is
                // not legal after it, so the first `@` ends the userinfo.
                let host_start = match rest.find('@') {
                    Some(at) => {
                        let userinfo = &rest[..at];
                        check_escapes(userinfo).map_err(|i| bad(base + i))?;
                        let (user, password) = match userinfo.split_once(':') {
                            Some((u, p)) => (u, Some(p)),
                            None => (userinfo, None),
                        };
                        if user.is_empty() {
                            return Err(bad(base));
                        }
                        uri.user = Some(user);
                        uri.password = password;
                        at + 1
                    }
                    None => 0,
                };
                let after_user = &rest[host_start..];
                let (hostport_params, headers) = after_user.split_once('?').unwrap_or((after_user, ""));
                uri.headers = headers;
                let (hostport, params) = hostport_params.split_once(';').unwrap_or((hostport_params, ""));
                uri.params = params;
                parse_hostport(hostport, &mut uri).map_err(|i| bad(base + host_start + i))?;
                Ok(uri)
            }
        }
    }

    /// URI parameters (`;transport=udp;lr`).
    pub fn params(&self) -> Params<'a> {
        Params::new(self.params)
    }

    /// A parameter's value (`Some("")` when present without value).
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.params().get(name)
    }

    /// `transport=` parameter.
    pub fn transport(&self) -> Option<&'a str> {
        self.param("transport")
    }

    /// `maddr=` parameter.
    pub fn maddr(&self) -> Option<&'a str> {
        self.param("maddr")
    }

    /// Loose routing flag (`;lr`, RFC 3261 §19.1.1).
    pub fn lr(&self) -> bool {
        self.params().has("lr")
    }

    /// The user part with `%HH` escapes decoded.
    pub fn user_unescaped(&self) -> Option<Cow<'a, str>> {
        self.user.map(unescape)
    }
}

fn parse_hostport<'a>(hp: &'a str, uri: &mut Uri<'a>) -> Result<(), usize> {
    let (host, port) = if let Some(v6) = hp.strip_prefix('[') {
        let close = v6.find(']').ok_or(0usize)?;
        let addr: Ipv6Addr = v6[..close].parse().map_err(|_| 1usize)?;
        uri.host = Some(Host::V6(addr));
        let after = &v6[close + 1..];
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or(close + 2)?),
        };
        (&hp[..close + 2], port)
    } else {
        let (h, p) = match hp.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hp, None),
        };
        if h.is_empty() || !h.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.') {
            return Err(0);
        }
        uri.host = Some(match h.parse::<Ipv4Addr>() {
            Ok(a) => Host::V4(a),
            Err(_) => Host::Name(h),
        });
        (h, p)
    };
    uri.host_str = host;
    if let Some(p) = port {
        uri.port = Some(p.parse::<u16>().map_err(|_| host.len())?);
    }
    Ok(())
}
