//! Datagrams that fail to parse or to name a transaction: 400 naming the
//! fault (505 for a SIP version other than 2.0) when a response can be
//! routed, else a counted drop.

use std::net::SocketAddr;

use bytes::Bytes;

use super::Extra;
use crate::core::{Outbox, ShardCore};
use crate::sip::{HeaderName, Message, Method, ParseError, ParseErrorKind};

impl ShardCore {
    /// A datagram that failed to parse: the request is read as far as a
    /// response needs (`Message::salvage`) and answered.
    pub(crate) fn on_bad_datagram(
        &mut self,
        from: SocketAddr,
        data: Bytes,
        err: ParseError,
        out: &mut Outbox,
    ) {
        self.stats.parse_errors += 1;
        self.stats.parse_errors_by_reason[err.kind.category()] += 1;
        if matches!(err.kind, ParseErrorKind::Empty) {
            return; // CRLF keep-alive
        }
        if let Some(msg) = Message::salvage(data, &self.cfg.limits) {
            self.bad_request(from, &msg, err, out);
        }
    }

    /// 400 (505 for the version) for a request that names where its
    /// response goes and what it answers: a Via and a CSeq. An unreadable
    /// top Via sends it back to the source; From, To and Call-ID are
    /// copied when present (RFC 4475 §3.3.1). Never for ACK.
    pub(crate) fn bad_request(&mut self, from: SocketAddr, msg: &Message, err: ParseError, out: &mut Outbox) {
        let routable = msg.is_request()
            && msg.method() != Method::Ack
            && msg.header(HeaderName::Via).is_some()
            && msg.header(HeaderName::CSeq).is_some();
        if !routable {
            return;
        }
        self.stats.bad_requests += 1;
        let (code, reason) = match err.kind {
            ParseErrorKind::BadVersion => (505, "Version Not Supported"),
            _ => (400, err.reason_phrase()),
        };
        self.reply_stateless(msg, from, code, reason, Extra::default(), out);
    }
}
