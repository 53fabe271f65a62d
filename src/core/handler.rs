//! The application's hook into a shard: `CallHandler` decides each new
//! call and answers OPTIONS, REGISTER and in-dialog requests. It runs on
//! the owning shard's thread and sees read-only views of the request, with
//! no SIP machinery to drive.

use std::net::SocketAddr;

use super::CallId;
use crate::dialog::{CallPolicy, Decision};
use crate::sip::Message;

/// Decides what happens to requests. One instance per shard, called on
/// that shard's thread: it must not block.
pub trait CallHandler: Send + 'static {
    /// A new INVITE.
    fn on_incoming(&mut self, call: &IncomingCall<'_>) -> Decision;

    /// An out-of-dialog OPTIONS: the status to answer (200 with Allow).
    fn on_options(&mut self, _request: &IncomingRequest<'_>) -> u16 {
        200
    }

    /// A REGISTER: the status to answer (200 echoes the Contact).
    fn on_register(&mut self, _request: &IncomingRequest<'_>) -> u16 {
        200
    }

    /// INFO, MESSAGE, OPTIONS or NOTIFY inside a call: the status.
    fn on_in_dialog_request(&mut self, _call: CallId, _request: &IncomingRequest<'_>) -> u16 {
        200
    }
}

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
    /// The call's id, for commands and to match events.
    pub id: CallId,
    /// The INVITE.
    pub request: IncomingRequest<'a>,
    /// The SDP offer, when the INVITE had one we can answer.
    pub offer: Option<OfferSummary>,
}

/// The configured `CallPolicy` as a handler: what `sipbench-server` runs.
#[derive(Debug, Clone, Default)]
pub struct PolicyHandler {
    policy: CallPolicy,
    credit: u32,
}

impl PolicyHandler {
    /// Decides every call by `policy`.
    pub fn new(policy: CallPolicy) -> PolicyHandler {
        PolicyHandler { policy, credit: 0 }
    }
}

impl CallHandler for PolicyHandler {
    fn on_incoming(&mut self, _call: &IncomingCall<'_>) -> Decision {
        self.policy.decide(&mut self.credit)
    }
}

impl super::ShardCore {
    /// OPTIONS and REGISTER outside a dialog: the handler picks the status.
    pub(crate) fn answer_by_handler(
        &mut self,
        now: std::time::Instant,
        key: crate::txn::TxnKey,
        msg: &Message,
        from: SocketAddr,
        tag: &str,
        out: &mut super::Outbox,
    ) {
        use super::respond::Extra;
        let request = IncomingRequest { msg, source: from };
        let (code, extra) = if msg.method() == crate::sip::Method::Options {
            (self.handler.on_options(&request), Extra { allow: true, accept: true, ..Extra::default() })
        } else {
            let contact = msg.header(crate::sip::HeaderName::Contact);
            let expires = msg.expires().and_then(Result::ok).unwrap_or(3600);
            let registered = contact.map(|c| (c, expires));
            (self.handler.on_register(&request), Extra { registered, ..Extra::default() })
        };
        let code = if (200..700).contains(&code) { code } else { 500 };
        let extra = if code == 200 { extra } else { Extra::default() };
        let reason = super::response::reason_phrase(code);
        self.reply_non_invite(now, key, msg, from, code, reason, Some(tag), extra, out);
    }
}
