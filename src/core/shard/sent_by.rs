//! Our Via sent-by (RFC 3261 §18.2.1) on each transport, written once:
//! every request we send carries it, so it is not formatted per request.

use crate::core::CoreConfig;
use crate::sip::Transport;

/// The listener address of each transport as Via's sent-by text.
#[derive(Debug)]
pub(crate) struct SentBy([String; 3]);

impl SentBy {
    pub(crate) fn new(cfg: &CoreConfig) -> SentBy {
        SentBy(Transport::ALL.map(|t| cfg.local_for(t).to_string()))
    }

    /// Sent-by for requests over `t` (`[v6]:port` for IPv6).
    pub(crate) fn on(&self, t: Transport) -> &str {
        &self.0[t.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_transport_has_its_listener_address() {
        let cfg = CoreConfig {
            local: "[::1]:5060".parse().unwrap(),
            local_tcp: Some("[::1]:5070".parse().unwrap()),
            ..CoreConfig::default()
        };
        let s = SentBy::new(&cfg);
        assert_eq!(s.on(Transport::Udp), "[::1]:5060");
        assert_eq!(s.on(Transport::Tcp), "[::1]:5070");
        assert_eq!(s.on(Transport::Tls), "[::1]:5060", "no TLS listener: the primary address");
    }
}
