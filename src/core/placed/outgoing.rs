//! A call to place (UAC role), as the application describes it, and the
//! checks its target and headers pass before anything is sent.

use std::borrow::Cow;
use std::time::Duration;

use crate::core::CommandError;
use crate::media::MediaMode;
use crate::sip::{Host, Transport, Uri};

/// A call to place: the application's side of `place_call`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingCall {
    /// Request-URI, e.g. `sip:service@127.0.0.1:5060`. Its host must be
    /// an IP address (there is no DNS in the engine): the INVITE goes
    /// there, over UDP, TCP with `;transport=tcp`, TLS with `sips:` (or
    /// `;transport=tls`).
    pub target: String,
    /// Our identity (From), a URI or name-addr, e.g. `sip:alice@127.0.0.1`.
    pub from: String,
    /// The callee (To), a URI or name-addr.
    pub to: String,
    /// The call's media mode once answered (None: configured).
    pub media: Option<MediaMode>,
    /// Hang up (BYE) this long after the answer; None: the application
    /// (or the far end) ends the call.
    pub hang_up_after: Option<Duration>,
    /// Cancel the call as soon as it rings (180/183): a load generator's
    /// share of cancelled calls.
    pub cancel_when_ringing: bool,
}

impl OutgoingCall {
    /// A call from `from` to `to` at `target`, with configured media and
    /// no automatic hang-up.
    pub fn new(target: &str, from: &str, to: &str) -> OutgoingCall {
        OutgoingCall {
            target: target.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            media: None,
            hang_up_after: None,
            cancel_when_ringing: false,
        }
    }
}

impl OutgoingCall {
    /// Where the INVITE goes (the target's IP address and port), once
    /// target, From and To are known to be usable.
    pub fn destination(&self) -> Result<std::net::SocketAddr, CommandError> {
        name_addr(&self.from)?;
        name_addr(&self.to)?;
        target_addr(&self.target)
    }

    /// The transport the target asks for (RFC 3263 §4.1 without DNS).
    pub fn transport(&self) -> Result<Transport, CommandError> {
        let uri = Uri::parse(&self.target).map_err(|_| BAD_TARGET)?;
        Transport::of_uri(&uri).ok_or(CommandError::BadArgument("target transport must be udp, tcp or tls"))
    }
}

const BAD_TARGET: CommandError = CommandError::BadArgument("target must be a sip: URI naming an IP address");

/// Where a target URI's requests go: its host must be an IP address.
fn target_addr(target: &str) -> Result<std::net::SocketAddr, CommandError> {
    let refuse = BAD_TARGET;
    if target.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return Err(refuse);
    }
    let uri = Uri::parse(target).map_err(|_| refuse)?;
    let ip: std::net::IpAddr = match uri.host {
        Some(Host::V4(a)) => a.into(),
        Some(Host::V6(a)) => a.into(),
        _ => return Err(refuse),
    };
    let transport = Transport::of_uri(&uri).unwrap_or_default();
    Ok(std::net::SocketAddr::new(ip, uri.port.unwrap_or(transport.default_port())))
}

/// From/To values: a bare URI is bracketed; line breaks are refused
/// (header injection).
pub(crate) fn name_addr(v: &str) -> Result<Cow<'_, str>, CommandError> {
    if v.is_empty() || v.bytes().any(|b| b.is_ascii_control()) {
        return Err(CommandError::BadArgument("From/To must be a URI or name-addr on one line"));
    }
    Ok(if v.contains('<') { Cow::Borrowed(v) } else { Cow::Owned(format!("<{v}>")) })
}
