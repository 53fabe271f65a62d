//! Who a call is between, made once per call when the application
//! listens to events, and shared by every event of the call.

use std::net::SocketAddr;

use crate::dialog::Dialog;
use crate::sip::{NameAddr, Transport};

/// Which side started the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallDirection {
    /// The peer called us (we answer: UAS).
    Incoming,
    /// We placed the call (UAC).
    Outgoing,
}

/// A call's context, the same for each of its events (shared, so an
/// event's copy costs a reference count).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CallInfo {
    /// Who started the call.
    pub direction: CallDirection,
    /// The SIP Call-ID.
    pub call_id: String,
    /// Our URI: To of an incoming call, From of a call we placed.
    pub local_uri: String,
    /// The peer's URI: From of an incoming call, To of a call we placed.
    pub remote_uri: String,
    /// The peer's address: where the INVITE came from, or where ours went
    /// (the target, or the outbound proxy).
    pub remote_addr: SocketAddr,
    /// How the peer is reached: the transport the INVITE came on, or the
    /// one the Request-URI of ours asked for.
    pub transport: Transport,
}

impl CallInfo {
    /// The context of a call with dialog `d`, made when it starts (the
    /// dialog's local and remote addresses are still those of the INVITE).
    pub(crate) fn of(direction: CallDirection, d: &Dialog, transport: Transport) -> CallInfo {
        let uri = |v: &str| NameAddr::parse(v, "To").map_or_else(|_| v.to_owned(), |a| a.uri.to_owned());
        CallInfo {
            direction,
            call_id: d.call_id().to_owned(),
            local_uri: uri(d.local_addr()),
            remote_uri: uri(d.remote_addr()),
            remote_addr: d.source,
            transport,
        }
    }
}
