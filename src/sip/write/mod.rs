//! Writing messages into one reused `BytesMut`. Responses copy Via, From,
//! To, Call-ID and CSeq of the request verbatim (RFC 3261 §8.2.6.2);
//! requests are built header by header (`request.rs`); a parsed message
//! can be written again in canonical form (`encode.rs`).

mod encode;
pub(crate) mod put_short;
mod request;

use std::net::SocketAddr;

use bytes::{BufMut, Bytes, BytesMut};

pub(crate) use encode::encode;
use put_short::put_short;

use crate::sip::header::HeaderName;
use crate::sip::header::{Params, via};
use crate::sip::message::Message;

/// Bytes per output block. Messages are split off it as `Bytes` and a block
/// is freed when its last message is: a large block means one allocation
/// per tens of calls rather than one every other call.
const BLOCK: usize = 32 * 1024;

/// Owns the output buffer; each finished message is split off as `Bytes`
/// and the allocation is reused once those are dropped.
#[derive(Debug, Default)]
pub struct Writer {
    pub(crate) buf: BytesMut,
}

/// What the response line and copied headers need beyond the request.
#[derive(Debug, Clone, Copy)]
pub struct ResponseHead<'a> {
    /// Status code.
    pub code: u16,
    /// Reason phrase.
    pub reason: &'a str,
    /// Tag added to To when the request's To has none.
    pub to_tag: Option<&'a str>,
    /// Where the request came from: sets `received` and fills an empty
    /// `rport` on the top Via (RFC 3261 §18.2.1, RFC 3581 §4).
    pub source: Option<SocketAddr>,
}

/// A message being written; `finish` or `body` completes it.
#[derive(Debug)]
pub struct Builder<'w> {
    pub(crate) buf: &'w mut BytesMut,
}

impl Writer {
    /// A writer with its first output block (`BLOCK` bytes) allocated.
    pub fn new() -> Self {
        Writer { buf: BytesMut::with_capacity(BLOCK) }
    }

    /// Starts a response to `req`: status line and copied headers.
    pub fn response<'w>(&'w mut self, req: &Message, head: ResponseHead<'_>) -> Builder<'w> {
        let buf = &mut self.buf;
        if buf.capacity() - buf.len() < 1024 {
            buf.reserve(BLOCK);
        }
        buf.put_slice(b"SIP/2.0 ");
        put_u32(buf, u32::from(head.code));
        buf.put_u8(b' ');
        put_short(buf, head.reason.as_bytes());
        buf.put_slice(b"\r\n");
        let mut first_via = true;
        // Only the copied headers' values are looked at.
        let copied = |n: HeaderName| {
            matches!(
                n,
                HeaderName::Via | HeaderName::From | HeaderName::To | HeaderName::CallId | HeaderName::CSeq
            )
        };
        for e in req.index.headers.iter().filter(|e| copied(e.name)) {
            let value = req.value(e);
            match e.name {
                HeaderName::Via if first_via => {
                    // Only the top value may change; the rest is copied as is.
                    first_via = false;
                    let v = value.as_bytes();
                    buf.put_slice(b"Via: ");
                    let top_end = via::put_top_via(buf, req, value, head.source);
                    put_short(buf, &v[top_end..]);
                    buf.put_slice(b"\r\n");
                }
                HeaderName::Via => put_header(buf, "Via", value),
                HeaderName::From | HeaderName::CallId | HeaderName::CSeq => {
                    put_header(buf, e.name.as_str(), value);
                }
                HeaderName::To => {
                    buf.put_slice(b"To: ");
                    put_short(buf, value.as_bytes());
                    if let Some(tag) = head.to_tag
                        && !has_tag_param(value)
                    {
                        buf.put_slice(b";tag=");
                        put_short(buf, tag.as_bytes());
                    }
                    buf.put_slice(b"\r\n");
                }
                _ => {}
            }
        }
        Builder { buf }
    }
}

impl<'w> Builder<'w> {
    /// Adds `Name: value`.
    pub fn header(self, name: &str, value: &str) -> Self {
        put_header(self.buf, name, value);
        self
    }

    /// Adds `Name: number`.
    pub fn header_u32(self, name: &str, value: u32) -> Self {
        put_short(self.buf, name.as_bytes());
        self.buf.put_slice(b": ");
        put_u32(self.buf, value);
        self.buf.put_slice(b"\r\n");
        self
    }

    /// Adds `Contact: <uri>`.
    pub fn contact(self, uri: &str) -> Self {
        self.buf.put_slice(b"Contact: <");
        put_short(self.buf, uri.as_bytes());
        self.buf.put_slice(b">\r\n");
        self
    }

    /// Ends the headers with `Content-Length: 0`, no body.
    pub fn finish(self) -> Bytes {
        self.buf.put_slice(b"Content-Length: 0\r\n\r\n");
        self.buf.split().freeze()
    }

    /// Adds Content-Type and Content-Length, then the body.
    pub fn body(self, content_type: &str, body: &[u8]) -> Bytes {
        put_header(self.buf, "Content-Type", content_type);
        let n = u32::try_from(body.len()).unwrap_or(u32::MAX);
        let this = self.header_u32("Content-Length", n);
        this.buf.put_slice(b"\r\n");
        put_short(this.buf, body);
        this.buf.split().freeze()
    }
}

/// Whether a From/To value already carries `;tag=` (header parameters
/// follow the `>` of a name-addr, or the URI of an addr-spec).
fn has_tag_param(value: &str) -> bool {
    let params = match value.rfind('>') {
        Some(gt) => &value[gt + 1..],
        None => value,
    };
    Params::new(params).skip(usize::from(!value.contains('>'))).any(|(n, _)| n.eq_ignore_ascii_case("tag"))
}

pub(crate) fn put_header(buf: &mut BytesMut, name: &str, value: &str) {
    put_short(buf, name.as_bytes());
    buf.put_slice(b": ");
    put_short(buf, value.as_bytes());
    buf.put_slice(b"\r\n");
}

pub(crate) fn put_u32(buf: &mut BytesMut, n: u32) {
    put_short(buf, itoa::Buffer::new().format(n).as_bytes());
}
