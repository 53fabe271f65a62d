//! Writing requests: a generic builder plus the CANCEL and non-2xx ACK that
//! RFC 3261 §9.1 and §17.1.1.3 derive from the INVITE.

use bytes::{BufMut, Bytes};

use super::{Builder, Writer, put_header, put_u32};
use crate::sip::header::HeaderName;
use crate::sip::message::Message;

impl Writer {
    /// Starts a request: request line only; add headers with the builder.
    pub fn request<'w>(&'w mut self, method: &str, uri: &str) -> Builder<'w> {
        let buf = &mut self.buf;
        if buf.capacity() - buf.len() < 1024 {
            buf.reserve(4096);
        }
        buf.put_slice(method.as_bytes());
        buf.put_u8(b' ');
        buf.put_slice(uri.as_bytes());
        buf.put_slice(b" SIP/2.0\r\n");
        Builder { buf }
    }

    /// CANCEL for `invite`: same Request-URI, top Via, From, To, Call-ID,
    /// CSeq number and Route set (RFC 3261 §9.1).
    pub fn cancel_for(&mut self, invite: &Message) -> Bytes {
        self.derived(invite, None, "CANCEL")
    }

    /// ACK for a non-2xx final response (RFC 3261 §17.1.1.3): as CANCEL,
    /// but with the response's To (it carries the tag).
    pub fn ack_for_non2xx(&mut self, invite: &Message, response: &Message) -> Bytes {
        self.derived(invite, response.header(HeaderName::To), "ACK")
    }

    fn derived(&mut self, invite: &Message, to: Option<&str>, method: &str) -> Bytes {
        let uri = invite.request_uri();
        let mut b = self.request(method, uri);
        if let Some(top) = invite.list(HeaderName::Via).next() {
            b = b.header("Via", top);
        }
        b = b.header_u32("Max-Forwards", 70);
        for h in invite.headers() {
            match h.name {
                HeaderName::From | HeaderName::CallId | HeaderName::Route => {
                    put_header(b.buf, h.name.as_str(), h.value)
                }
                HeaderName::To => put_header(b.buf, "To", to.unwrap_or(h.value)),
                _ => {}
            }
        }
        let seq = invite.cseq().map(|c| c.seq).unwrap_or(1);
        b.cseq(seq, method).finish()
    }
}

impl<'w> Builder<'w> {
    /// `Via: SIP/2.0/<transport> <sent_by>;branch=<branch>;rport`.
    pub fn via(self, transport: &str, sent_by: &str, branch: &str) -> Self {
        let buf = &mut *self.buf;
        buf.put_slice(b"Via: SIP/2.0/");
        buf.put_slice(transport.as_bytes());
        buf.put_u8(b' ');
        buf.put_slice(sent_by.as_bytes());
        buf.put_slice(b";branch=");
        buf.put_slice(branch.as_bytes());
        buf.put_slice(b";rport\r\n");
        self
    }

    /// `From`/`To`-style header: a name-addr followed by an optional tag.
    pub fn name_addr(self, name: HeaderName, addr: &str, tag: Option<&str>) -> Self {
        let buf = &mut *self.buf;
        buf.put_slice(name.as_str().as_bytes());
        buf.put_slice(b": ");
        buf.put_slice(addr.as_bytes());
        if let Some(tag) = tag {
            buf.put_slice(b";tag=");
            buf.put_slice(tag.as_bytes());
        }
        buf.put_slice(b"\r\n");
        self
    }

    /// `CSeq: <seq> <method>`.
    pub fn cseq(self, seq: u32, method: &str) -> Self {
        let buf = &mut *self.buf;
        buf.put_slice(b"CSeq: ");
        put_u32(buf, seq);
        buf.put_u8(b' ');
        buf.put_slice(method.as_bytes());
        buf.put_slice(b"\r\n");
        self
    }

    /// `Call-ID: <id>`.
    pub fn call_id(self, id: &str) -> Self {
        self.header("Call-ID", id)
    }

    /// One `Route: <uri>` per entry of a route set, in order.
    pub fn routes<'r>(mut self, route_set: impl IntoIterator<Item = &'r str>) -> Self {
        for r in route_set {
            self = self.header("Route", r);
        }
        self
    }

    /// `Max-Forwards: <n>`.
    pub fn max_forwards(self, n: u32) -> Self {
        self.header_u32("Max-Forwards", n)
    }
}
