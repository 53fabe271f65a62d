//! What the handler sees of a request: read-only, zero-copy views, with
//! the parts a routing decision needs parsed on demand (users, display
//! names, offered codecs).

use std::borrow::Cow;
use std::net::SocketAddr;

use super::offered::{OfferedCodec, offered_codecs};
use crate::core::CallHandle;
use crate::sip::{HeaderName, Message, NameAddr, Uri};

/// What the SDP offer of a new call settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OfferSummary {
    /// Where the caller's RTP comes from (None: no address, or held).
    pub media_addr: Option<SocketAddr>,
    /// The audio codec both sides have, as its SDP name.
    pub codec: &'static str,
    /// The offer puts us on hold (sendonly, inactive or 0.0.0.0).
    pub on_hold: bool,
}

/// A request shown to the handler (zero-copy views into the datagram).
#[derive(Debug, Clone, Copy)]
pub struct IncomingRequest<'a> {
    pub(crate) msg: &'a Message,
    pub(crate) source: SocketAddr,
}

impl<'a> IncomingRequest<'a> {
    /// The method name (`OPTIONS`, `INFO`, ...).
    pub fn method(&self) -> &'a str {
        self.msg.method_name()
    }

    /// The Request-URI as written.
    pub fn request_uri(&self) -> &'a str {
        self.msg.request_uri()
    }

    /// The user part of the Request-URI, `%HH` escapes decoded (the
    /// number of a tel: URI); None when it has none.
    pub fn request_user(&self) -> Option<Cow<'a, str>> {
        Uri::parse(self.msg.request_uri()).ok()?.user_unescaped()
    }

    /// The From header value as written.
    pub fn from(&self) -> &'a str {
        self.msg.header(HeaderName::From).unwrap_or("")
    }

    /// The user part of the From URI, escapes decoded.
    pub fn from_user(&self) -> Option<Cow<'a, str>> {
        user(self.msg.from().ok()?)
    }

    /// The From display name, quotes and escapes removed.
    pub fn from_display_name(&self) -> Option<Cow<'a, str>> {
        display_name(self.msg.from().ok()?)
    }

    /// The To header value as written.
    pub fn to(&self) -> &'a str {
        self.msg.header(HeaderName::To).unwrap_or("")
    }

    /// The user part of the To URI, escapes decoded.
    pub fn to_user(&self) -> Option<Cow<'a, str>> {
        user(self.msg.to().ok()?)
    }

    /// The To display name, quotes and escapes removed.
    pub fn to_display_name(&self) -> Option<Cow<'a, str>> {
        display_name(self.msg.to().ok()?)
    }

    /// The SIP Call-ID.
    pub fn call_id(&self) -> &'a str {
        self.msg.call_id()
    }

    /// Where the request came from (its source IP address and port).
    pub fn source(&self) -> SocketAddr {
        self.source
    }

    /// The first value of a header, by name (any case, long or compact).
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.msg.header_by_name(name)
    }

    /// The body (SDP, DTMF relay, text).
    pub fn body(&self) -> &'a [u8] {
        self.msg.body()
    }
}

fn user(addr: NameAddr<'_>) -> Option<Cow<'_, str>> {
    Uri::parse(addr.uri).ok()?.user_unescaped()
}

/// A display name without its quotes, quoted-pairs (`\"`, `\\`) undone.
fn display_name(addr: NameAddr<'_>) -> Option<Cow<'_, str>> {
    let raw = addr.display_name?;
    if !raw.contains('\\') {
        return Some(Cow::Borrowed(raw));
    }
    let mut s = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        s.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
    }
    Some(Cow::Owned(s))
}

/// A new call shown to the handler.
///
/// The parsed parts a routing decision needs are one call away:
/// [`request_user`](IncomingCall::request_user),
/// [`from_user`](IncomingCall::from_user) and
/// [`from_display_name`](IncomingCall::from_display_name) (To likewise),
/// [`source`](IncomingCall::source) and
/// [`offered_codecs`](IncomingCall::offered_codecs); the whole request is
/// in [`request`](IncomingCall::request).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct IncomingCall<'a> {
    /// The engine's handle on the call, for commands and to match events.
    pub handle: CallHandle,
    /// The INVITE.
    pub request: IncomingRequest<'a>,
    /// The SDP offer, when the INVITE had one we can answer.
    pub offer: Option<OfferSummary>,
}

impl<'a> IncomingCall<'a> {
    /// The user part of the Request-URI (the number or name dialled).
    pub fn request_user(&self) -> Option<Cow<'a, str>> {
        self.request.request_user()
    }

    /// The caller's user part (From).
    pub fn from_user(&self) -> Option<Cow<'a, str>> {
        self.request.from_user()
    }

    /// The caller's display name (From).
    pub fn from_display_name(&self) -> Option<Cow<'a, str>> {
        self.request.from_display_name()
    }

    /// The callee's user part (To).
    pub fn to_user(&self) -> Option<Cow<'a, str>> {
        self.request.to_user()
    }

    /// The callee's display name (To).
    pub fn to_display_name(&self) -> Option<Cow<'a, str>> {
        self.request.to_display_name()
    }

    /// Where the INVITE came from.
    pub fn source(&self) -> SocketAddr {
        self.request.source
    }

    /// The codecs of the offer's first audio stream, in the caller's
    /// order (parsed on each call; empty without an SDP offer).
    pub fn offered_codecs(&self) -> Vec<OfferedCodec> {
        offered_codecs(self.request.body())
    }
}
