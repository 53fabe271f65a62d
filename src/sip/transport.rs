//! The transport a message travels on (RFC 3261 §18): its Via token,
//! whether it is reliable (a stream: no retransmissions, Content-Length
//! mandatory), and which one a URI asks for.

use crate::sip::{Scheme, Uri};

/// UDP, TCP or TLS over TCP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Transport {
    /// Datagrams.
    #[default]
    Udp,
    /// A TCP connection.
    Tcp,
    /// TLS over a TCP connection.
    Tls,
}

impl Transport {
    /// Every transport, in index order.
    pub const ALL: [Transport; 3] = [Transport::Udp, Transport::Tcp, Transport::Tls];

    /// The Via token (`SIP/2.0/TCP`).
    pub fn via_token(self) -> &'static str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
            Transport::Tls => "TLS",
        }
    }

    /// Lower-case name, as in `;transport=` and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Transport::Udp => "udp",
            Transport::Tcp => "tcp",
            Transport::Tls => "tls",
        }
    }

    /// A stream: requests and non-2xx responses are not retransmitted
    /// and Timers D, I, J and K are zero (RFC 3261 §17).
    pub fn reliable(self) -> bool {
        self != Transport::Udp
    }

    /// 0, 1, 2 (for per-transport arrays).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The default port (RFC 3261 §19.1.2): 5061 for TLS, else 5060.
    pub fn default_port(self) -> u16 {
        if self == Transport::Tls { 5061 } else { 5060 }
    }

    /// The transport a URI asks for (RFC 3263 §4.1 without DNS): `sips:`
    /// is TLS; else its `transport=` parameter (udp, tcp, tls); else UDP.
    /// None for a transport we do not speak (sctp, ws).
    pub fn of_uri(uri: &Uri<'_>) -> Option<Transport> {
        if uri.scheme == Scheme::Sips {
            return Some(Transport::Tls);
        }
        match uri.transport() {
            None => Some(Transport::Udp),
            Some(t) if t.eq_ignore_ascii_case("udp") => Some(Transport::Udp),
            Some(t) if t.eq_ignore_ascii_case("tcp") => Some(Transport::Tcp),
            Some(t) if t.eq_ignore_ascii_case("tls") => Some(Transport::Tls),
            Some(_) => None,
        }
    }
}

impl std::fmt::Display for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::Transport;
    use crate::sip::Uri;

    #[test]
    fn uri_transports() {
        let of = |s: &str| Transport::of_uri(&Uri::parse(s).unwrap());
        assert_eq!(of("sip:a@127.0.0.1"), Some(Transport::Udp));
        assert_eq!(of("sip:a@127.0.0.1;transport=TCP"), Some(Transport::Tcp));
        assert_eq!(of("sip:a@127.0.0.1;transport=tls"), Some(Transport::Tls));
        assert_eq!(of("sips:a@127.0.0.1:5061"), Some(Transport::Tls));
        assert_eq!(of("sip:a@127.0.0.1;transport=sctp"), None);
        assert!(Transport::Tcp.reliable() && !Transport::Udp.reliable());
        assert_eq!(Transport::Tls.default_port(), 5061);
    }
}
