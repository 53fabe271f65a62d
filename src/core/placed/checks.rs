//! The checks a call to place passes before anything is sent: URIs of
//! their grammar, display names that quote, extra headers that inject
//! nothing and replace none of ours, and a destination we can reach.

use std::net::{IpAddr, SocketAddr};

use super::OutgoingCall;
use crate::core::CommandError;
use crate::core::command::text;
use crate::sip::{Host, Scheme, Transport, Uri};

/// Extra headers a call may carry, and their total size: the INVITE must
/// fit one datagram.
const MAX_HEADERS: usize = 16;
const MAX_HEADER_BYTES: usize = 4096;

/// Headers the engine writes itself (long and compact forms): an extra
/// header may not replace or repeat them.
const RESERVED: [&str; 26] = [
    "via",
    "v",
    "from",
    "f",
    "to",
    "t",
    "call-id",
    "i",
    "cseq",
    "max-forwards",
    "contact",
    "m",
    "content-type",
    "c",
    "content-length",
    "l",
    "route",
    "record-route",
    "allow",
    "user-agent",
    "authorization",
    "proxy-authorization",
    "supported",
    "k",
    "referred-by",
    "b",
];

impl OutgoingCall {
    /// Where the INVITE goes, once every part of the call is known to be
    /// writable: URIs of their grammar, display names that quote, extra
    /// headers that inject nothing.
    pub fn destination(&self) -> Result<SocketAddr, CommandError> {
        let refuse = CommandError::BadArgument;
        let target = text::uri(&self.request_uri).filter(|u| u.scheme != Scheme::Tel);
        let Some(target) = target else { return Err(refuse(BAD_REQUEST_URI)) };
        let to_ok = self.to == self.request_uri || text::is_uri(&self.to);
        if !to_ok || self.from.as_deref().is_some_and(|f| !text::is_uri(f)) {
            return Err(refuse("From and To must be sip:, sips: or tel: URIs"));
        }
        let names = [&self.from_display, &self.to_display];
        if names.into_iter().flatten().any(|n| !text::is_display_name(n)) {
            return Err(refuse("display names must be text without control characters"));
        }
        if self.referred_by.as_deref().is_some_and(|r| !text::is_uri(r)) {
            return Err(refuse("Referred-By must be a sip:, sips: or tel: URI"));
        }
        self.check_headers()?;
        if let Some(c) = &self.credentials
            && (c.user.is_empty() || c.user.contains(['"', '\\']) || !text::is_header_value(&c.user))
        {
            return Err(refuse("credentials: the user must be text without quotes or backslashes"));
        }
        let transport = Transport::of_uri(&target).ok_or(refuse("transport must be udp, tcp or tls"))?;
        match self.proxy {
            Some(p) => Ok(p),
            None => ip_destination(&target, transport),
        }
    }

    /// The transport the Request-URI asks for (RFC 3263 §4.1 without
    /// DNS), to the target or to the outbound proxy: `sips:` is TLS, else
    /// its `transport=` parameter (udp, tcp, tls), else UDP.
    pub fn transport(&self) -> Result<Transport, CommandError> {
        let uri = text::uri(&self.request_uri).ok_or(CommandError::BadArgument(BAD_REQUEST_URI))?;
        Transport::of_uri(&uri).ok_or(CommandError::BadArgument("transport must be udp, tcp or tls"))
    }

    fn check_headers(&self) -> Result<(), CommandError> {
        let refuse = CommandError::BadArgument;
        let bytes: usize = self.headers.iter().map(|(n, v)| n.len() + v.len() + 4).sum();
        if self.headers.len() > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
            return Err(refuse("at most 16 extra headers, 4 KiB in all"));
        }
        for (name, value) in &self.headers {
            if !text::is_token(name) || RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name)) {
                return Err(refuse("extra header name must be a token the engine does not write itself"));
            }
            if !text::is_header_value(value) {
                return Err(refuse("extra header value must be text on one line"));
            }
        }
        Ok(())
    }
}

const BAD_REQUEST_URI: &str = "request-URI must be a sip: or sips: URI";

/// Where a Request-URI's requests go without a proxy: its host must be
/// an IP address; the port defaults to the transport's.
fn ip_destination(uri: &Uri<'_>, transport: Transport) -> Result<SocketAddr, CommandError> {
    let refuse = CommandError::BadArgument("target must name an IP address (or use an outbound proxy)");
    let ip: IpAddr = match uri.host {
        Some(Host::V4(a)) => a.into(),
        Some(Host::V6(a)) => a.into(),
        _ => return Err(refuse),
    };
    Ok(SocketAddr::new(ip, uri.port.unwrap_or(transport.default_port())))
}

#[cfg(test)]
mod tests {
    use crate::core::CommandError;
    use crate::core::OutgoingCall;

    fn refused(c: OutgoingCall) -> bool {
        matches!(c.destination(), Err(CommandError::BadArgument(_)))
    }

    #[test]
    fn every_part_is_checked() {
        let ok = || OutgoingCall::new("sip:bob@127.0.0.1:5070");
        assert_eq!(ok().destination(), Ok("127.0.0.1:5070".parse().unwrap()));
        assert!(refused(OutgoingCall::new("sip:bob@example.com")));
        assert!(refused(OutgoingCall::new("tel:+15551234")));
        assert!(refused(OutgoingCall::new("sip:bob@127.0.0.1\r\nX-Evil: 1")));
        assert!(refused(ok().from("sip:a@h\r\nX-Evil: 1")));
        assert!(refused(ok().from("\"Eve\" <sip:a@h>")));
        assert!(refused(ok().to("sip:b@h>;tag=forged")));
        assert!(refused(ok().caller_name("Eve\r\nX-Evil: 1")));
        assert!(refused(ok().header("X-Evil", "1\r\nX-More: 2")));
        assert!(refused(ok().header("X Evil", "1")));
        assert!(refused(ok().header("Call-ID", "mine")));
        assert!(refused(ok().header("i", "mine")));
        assert!(refused(ok().credentials("al\"ice", "pw")));
        let handle = crate::core::CallHandle::new(0, 0, 1);
        assert!(refused(ok().referred(handle, Some("sip:a@h\r\nX-Evil: 1"))));
        assert!(refused(ok().referred(handle, Some("<sip:a@h>"))));
        assert!(refused(ok().header("Supported", "x")));
        assert!(!refused(ok().referred(handle, Some("sip:carol@127.0.0.1"))));
        assert!(!refused(ok().header("X-Account", "42").caller_name("Eve \"the\" \\ Ops").to("tel:+1555")));
        let via_proxy =
            OutgoingCall::new("sip:bob@example.com").outbound_proxy("127.0.0.1:5080".parse().unwrap());
        assert_eq!(via_proxy.destination(), Ok("127.0.0.1:5080".parse().unwrap()));
        assert!(refused(OutgoingCall::new("sip:bob@127.0.0.1;transport=sctp")));
    }

    #[test]
    fn the_request_uri_picks_transport_and_default_port() {
        use crate::sip::Transport;
        let at = |uri: &str| {
            let c = OutgoingCall::new(uri);
            (c.transport().unwrap(), c.destination().unwrap().port())
        };
        assert_eq!(at("sip:bob@127.0.0.1"), (Transport::Udp, 5060));
        assert_eq!(at("sip:bob@127.0.0.1;transport=tcp"), (Transport::Tcp, 5060));
        assert_eq!(at("sips:bob@127.0.0.1"), (Transport::Tls, 5061));
        assert_eq!(at("sip:bob@127.0.0.1:5070;transport=TLS"), (Transport::Tls, 5070));
    }
}
