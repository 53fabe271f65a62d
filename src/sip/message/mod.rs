//! A parsed message: the datagram's `Bytes` plus an inline index of its
//! header lines. Nothing is copied at parse time; views slice the buffer
//! on demand.

mod datagram;
mod framing;
mod header_lines;
mod headers;
mod index;
mod memo;
mod method_word;
mod parse;
mod salvage;
mod scan;
mod scan_block;
mod start_line;
mod validate;
mod views;

use bytes::{Bytes, BytesMut};

pub use framing::{StreamFrame, stream_frame, stream_message_len};
pub use headers::Header;
pub(crate) use index::{HeadIndex, HeaderEntry, MAX_MESSAGE_SIZE};

use crate::sip::error::ParseError;
use crate::sip::method::Method;
use crate::sip::span::Span;

/// Request line or status line, as ranges into the buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum StartLine {
    Request { method: Method, method_end: u16, uri: Span },
    Response { code: u16, reason: Span },
}

/// A parsed SIP message (request or response).
#[derive(Clone)]
pub struct Message {
    pub(crate) buf: Bytes,
    pub(crate) start_offset: u16,
    pub(crate) start: StartLine,
    pub(crate) index: HeadIndex,
    pub(crate) body: Span,
    /// The start line and headers are pure ASCII (checked at parse time).
    pub(crate) ascii: bool,
    /// Header values parsed on first use (top Via, tags, CSeq number).
    pub(crate) memo: memo::Memo,
}

impl Message {
    /// The bytes `span` covers.
    #[inline]
    pub(crate) fn slice(&self, span: Span) -> &[u8] {
        span.of(&self.buf)
    }

    /// Text of a head slice. The head was checked at parse time: when it
    /// is all ASCII every slice is valid UTF-8 and needs no second check.
    #[inline]
    pub(crate) fn text<'s>(&'s self, b: &'s [u8]) -> &'s str {
        if self.ascii {
            // SAFETY: `ascii` is set only when every byte of the start line
            // and headers is < 0x80, and `b` is a slice of them; any slice of
            // ASCII bytes is valid UTF-8.
            unsafe { std::str::from_utf8_unchecked(b) }
        } else {
            std::str::from_utf8(b).unwrap_or("")
        }
    }

    /// The buffer as `Bytes`: a reference-count increment, no copy.
    pub fn to_bytes(&self) -> Bytes {
        self.buf.clone()
    }

    /// The whole buffer the message was parsed from.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// True for requests, false for responses.
    pub fn is_request(&self) -> bool {
        matches!(self.start, StartLine::Request { .. })
    }

    /// The request method; for a response, the method of its CSeq.
    pub fn method(&self) -> Method {
        match self.start {
            StartLine::Request { method, .. } => method,
            StartLine::Response { .. } => self.cseq().map(|c| c.method).unwrap_or(Method::Extension),
        }
    }

    /// The method text as written (extension methods included).
    pub fn method_name(&self) -> &str {
        match self.start {
            StartLine::Request { method_end, .. } => {
                self.text(self.slice(Span { start: self.start_offset, end: method_end }))
            }
            StartLine::Response { .. } => self.cseq().map(|c| c.method_name).unwrap_or(""),
        }
    }

    /// The Request-URI text (`""` for responses).
    pub fn request_uri(&self) -> &str {
        match self.start {
            StartLine::Request { uri, .. } => self.text(self.slice(uri)),
            StartLine::Response { .. } => "",
        }
    }

    /// The status code of a response.
    pub fn status_code(&self) -> Option<u16> {
        match self.start {
            StartLine::Response { code, .. } => Some(code),
            StartLine::Request { .. } => None,
        }
    }

    /// The reason phrase of a response (`""` for requests).
    pub fn reason(&self) -> &str {
        match self.start {
            StartLine::Response { reason, .. } => self.text(self.slice(reason)),
            StartLine::Request { .. } => "",
        }
    }

    /// The body bytes (Content-Length of them, or the datagram's rest).
    pub fn body(&self) -> &[u8] {
        self.slice(self.body)
    }

    /// The body as a zero-copy `Bytes` slice of the receive buffer.
    pub fn body_bytes(&self) -> Bytes {
        self.buf.slice(usize::from(self.body.start)..usize::from(self.body.end))
    }

    /// Byte length of the message (start line to end of body).
    pub fn len(&self) -> usize {
        usize::from(self.body.end - self.start_offset)
    }

    /// Never true for a parsed message; present for API symmetry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Mandatory headers (RFC 3261 §8.1.1), no duplicates of single-valued
    /// ones, a CSeq that parses and, for requests, matches the method.
    pub fn validate(&self) -> Result<(), ParseError> {
        validate::validate(self)
    }

    /// Appends the message in canonical form to `out` (folded values
    /// joined, Content-Length rewritten to the body).
    pub fn encode(&self, out: &mut BytesMut) {
        crate::sip::write::encode(self, out)
    }
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Message");
        match self.start {
            StartLine::Request { .. } => d.field("method", &self.method_name()),
            StartLine::Response { code, .. } => d.field("status", &code),
        };
        d.field("headers", &self.headers().collect::<Vec<_>>()).field("body_len", &self.body().len()).finish()
    }
}
