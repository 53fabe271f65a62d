//! `Message`: the datagram's `Bytes` plus an inline index of header ranges.
//! Nothing is copied at parse time; views slice the buffer on demand.

use bytes::Bytes;

use super::header_name::HeaderName;
pub use super::index::MAX_MESSAGE_SIZE;
pub(crate) use super::index::{ABSENT, HeadIndex, HeaderEntry};
use super::lex;
use super::method::Method;

/// Request line or status line, as ranges into the buffer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum StartLine {
    Request { method: Method, method_end: u16, uri: (u16, u16) },
    Response { code: u16, reason: (u16, u16) },
}

/// A parsed SIP message (request or response).
#[derive(Clone)]
pub struct Message {
    pub(crate) buf: Bytes,
    pub(crate) start_offset: u16,
    pub(crate) start: StartLine,
    pub(crate) index: HeadIndex,
    pub(crate) body: (u16, u16),
    /// The start line and headers are pure ASCII (checked at parse time).
    pub(crate) ascii: bool,
    /// Header values parsed on first use (top Via, tags).
    pub(crate) memo: super::memo::Memo,
}

/// A header as found in the message: classified name, raw name, raw value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    /// Classified name (`Other` for names this engine does not know).
    pub name: HeaderName,
    /// The name as written (compact or long, any case).
    pub raw_name: &'a str,
    /// The value, trimmed; folded lines keep their CRLF + whitespace.
    pub value: &'a str,
}

impl Message {
    #[inline]
    pub(crate) fn slice(&self, start: u16, end: u16) -> &[u8] {
        self.buf.get(start as usize..end as usize).unwrap_or(&[])
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
            StartLine::Request { method_end, .. } => self.text(self.slice(self.start_offset, method_end)),
            StartLine::Response { .. } => self.cseq().map(|c| c.method_name).unwrap_or(""),
        }
    }

    /// The Request-URI text (`""` for responses).
    pub fn request_uri(&self) -> &str {
        match self.start {
            StartLine::Request { uri, .. } => self.text(self.slice(uri.0, uri.1)),
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
            StartLine::Response { reason, .. } => self.text(self.slice(reason.0, reason.1)),
            StartLine::Request { .. } => "",
        }
    }

    /// Every header line in order.
    pub fn headers(&self) -> impl Iterator<Item = Header<'_>> {
        self.index.headers.iter().map(|h| self.entry(h))
    }

    /// How many header lines the message has.
    pub fn header_count(&self) -> usize {
        self.index.headers.len()
    }

    fn entry(&self, h: &HeaderEntry) -> Header<'_> {
        Header {
            name: h.name,
            raw_name: self.text(self.slice(h.name_start, h.name_start + u16::from(h.name_len))),
            value: self.value(h),
        }
    }

    #[inline]
    pub(crate) fn value(&self, h: &HeaderEntry) -> &str {
        self.text(lex::trim(self.slice(h.value_start, h.value_end)))
    }

    /// The first header entry with this name.
    #[inline]
    pub(crate) fn first(&self, name: HeaderName) -> Option<&HeaderEntry> {
        match self.index.known.get(name as usize) {
            Some(&i) => self.index.headers.get(usize::from(i)),
            _ => self.index.headers.iter().find(|h| h.name == name),
        }
    }

    /// Values of every header with this name (any form), unsplit.
    pub fn header_values(&self, name: HeaderName) -> impl Iterator<Item = &str> {
        self.index.headers.iter().filter(move |h| h.name == name).map(|h| self.value(h))
    }

    /// The first value of a header, unsplit.
    pub fn header(&self, name: HeaderName) -> Option<&str> {
        self.first(name).map(|h| self.value(h))
    }

    /// The body bytes (Content-Length of them, or the datagram's rest).
    pub fn body(&self) -> &[u8] {
        self.slice(self.body.0, self.body.1)
    }

    /// The body as a zero-copy `Bytes` slice of the receive buffer.
    pub fn body_bytes(&self) -> Bytes {
        self.buf.slice(self.body.0 as usize..self.body.1 as usize)
    }

    /// Byte length of the message (start line to end of body).
    pub fn len(&self) -> usize {
        (self.body.1 - self.start_offset) as usize
    }

    /// Never true for a parsed message; present for API symmetry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
