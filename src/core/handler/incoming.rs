//! What the handler sees of a request: read-only, zero-copy views.

use std::net::SocketAddr;

use crate::core::CallHandle;
use crate::sip::Message;

/// What the SDP offer of a new call settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    /// The Request-URI.
    pub fn request_uri(&self) -> &'a str {
        self.msg.request_uri()
    }

    /// The From header value.
    pub fn from(&self) -> &'a str {
        self.msg.header(crate::sip::HeaderName::From).unwrap_or("")
    }

    /// The To header value.
    pub fn to(&self) -> &'a str {
        self.msg.header(crate::sip::HeaderName::To).unwrap_or("")
    }

    /// The SIP Call-ID.
    pub fn call_id(&self) -> &'a str {
        self.msg.call_id()
    }

    /// Where the request came from.
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

/// A new call shown to the handler.
#[derive(Debug, Clone, Copy)]
pub struct IncomingCall<'a> {
    /// The engine's handle on the call, for commands and to match events.
    pub handle: CallHandle,
    /// The INVITE.
    pub request: IncomingRequest<'a>,
    /// The SDP offer, when the INVITE had one we can answer.
    pub offer: Option<OfferSummary>,
}
