//! Method and header inspection of a request before anything acts on it
//! (RFC 3261 §8.2.1, §8.2.2), in the RFC's order: a method we do not
//! implement gets 501 and one we know but do not serve 405 (both with
//! Allow, in or out of a dialog); a Request-URI scheme we do not serve
//! gets 416 and one that is no scheme at all 400; a Require we cannot
//! meet (anything but 100rel) gets 420 listing it in Unsupported.

use crate::core::CoreConfig;
use crate::sip::{Message, Method};

/// The Request-URI schemes a core serves (all three by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UriSchemes {
    /// `sip:`
    pub sip: bool,
    /// `sips:` (the core does not check that the request came over TLS)
    pub sips: bool,
    /// `tel:` (RFC 3966)
    pub tel: bool,
}

impl Default for UriSchemes {
    fn default() -> UriSchemes {
        UriSchemes { sip: true, sips: true, tel: true }
    }
}

impl UriSchemes {
    /// Whether a Request-URI with this scheme (any case) is served.
    fn serves(&self, scheme: &[u8]) -> bool {
        match scheme.len() {
            3 if scheme.eq_ignore_ascii_case(b"sip") => self.sip,
            4 if scheme.eq_ignore_ascii_case(b"sips") => self.sips,
            3 if scheme.eq_ignore_ascii_case(b"tel") => self.tel,
            _ => false,
        }
    }
}

/// Why a request is refused before it is served.
#[derive(Debug)]
pub(crate) struct Refusal {
    pub code: u16,
    pub reason: &'static str,
    /// Add Allow (405, 501).
    pub allow: bool,
    /// The option tags for Unsupported (420).
    pub unsupported: Option<String>,
}

impl Refusal {
    fn new(code: u16, reason: &'static str) -> Refusal {
        Refusal { code, reason, allow: matches!(code, 405 | 501), unsupported: None }
    }
}

/// The checks every request but ACK and CANCEL passes first.
pub(crate) fn inspect(msg: &Message, cfg: &CoreConfig) -> Result<(), Refusal> {
    match msg.method() {
        Method::Extension => return Err(Refusal::new(501, "Not Implemented")),
        Method::Subscribe | Method::Publish => {
            return Err(Refusal::new(405, "Method Not Allowed"));
        }
        Method::Register if cfg.registrar.is_none() => return Err(Refusal::new(405, "Method Not Allowed")),
        _ => {}
    }
    let uri = msg.request_uri().as_bytes();
    // The usual `sip:` in one compare; schemes are short, so a plain
    // loop finds any other.
    let sip = uri
        .first_chunk::<4>()
        .is_some_and(|s| u32::from_le_bytes(*s) | 0x0020_2020 == u32::from_le_bytes(*b"sip:"));
    if sip && cfg.uri_schemes.sip {
        return inspect_require(msg, cfg);
    }
    let scheme = &uri[..uri.iter().position(|&c| c == b':').unwrap_or(0)];
    let is_scheme = scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'));
    if !is_scheme {
        return Err(Refusal::new(400, "Bad Request - Malformed Request-URI"));
    }
    if !cfg.uri_schemes.serves(scheme) {
        return Err(Refusal::new(416, "Unsupported URI Scheme"));
    }
    inspect_require(msg, cfg)
}

/// RFC 3261 §8.2.2.3: a Require naming an extension we do not support
/// (any but 100rel, and timer with session timers on) is refused,
/// listing those in Unsupported.
fn inspect_require(msg: &Message, cfg: &CoreConfig) -> Result<(), Refusal> {
    let timer = |tag: &str| tag.eq_ignore_ascii_case("timer") && cfg.session_timer.is_some();
    let unknown = |tag: &&str| !crate::core::reliable::is_100rel(tag) && !timer(tag);
    if msg.require().any(|t| unknown(&t)) {
        let list = msg.require().filter(unknown).collect::<Vec<_>>().join(", ");
        return Err(Refusal { unsupported: Some(list), ..Refusal::new(420, "Bad Extension") });
    }
    Ok(())
}
