//! Datagrams that fail to parse or to name a transaction: 400 naming the
//! fault when a response can be routed, else a counted drop.

use std::net::SocketAddr;

use bytes::Bytes;

use super::Extra;
use crate::core::{Outbox, ShardCore};
use crate::sip::{Message, Method, ParseError, ParseErrorKind};

impl ShardCore {
    /// A datagram that failed to parse.
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
        if let Ok(msg) = Message::parse_unvalidated(data, &self.cfg.limits) {
            self.bad_request(from, &msg, err, out);
        }
    }

    /// 400 for a request with enough headers to route a response.
    pub(crate) fn bad_request(&mut self, from: SocketAddr, msg: &Message, err: ParseError, out: &mut Outbox) {
        let routable = msg.is_request()
            && msg.method() != Method::Ack
            && msg.via().is_ok()
            && !msg.call_id().is_empty()
            && msg.header(crate::sip::HeaderName::CSeq).is_some();
        if !routable {
            return;
        }
        self.stats.bad_requests += 1;
        self.reply_stateless(msg, from, 400, err.reason_phrase(), Extra::default(), out);
    }
}
