//! Stream framing (RFC 3261 §18.3): how long the next complete message in
//! a TCP/TLS byte stream is. Datagram framing lives in the parser.

use super::header_lines::index_headers;
use super::scan::LineScanner;
use super::{HeadIndex, MAX_MESSAGE_SIZE};
use crate::sip::error::{ParseError, ParseErrorKind as K, ParseLimits};
use crate::sip::header::HeaderName;
use crate::sip::lex;

/// What the front of a stream buffer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamFrame {
    /// Not enough bytes yet.
    Incomplete,
    /// `n` bytes of CRLF keep-alive (RFC 5626 §3.5.1) to discard.
    KeepAlive(usize),
    /// A whole message of `n` bytes is at the front.
    Message(usize),
}

/// Frames the next message; Content-Length is mandatory on streams.
pub fn stream_frame(buf: &[u8], limits: &ParseLimits) -> Result<StreamFrame, ParseError> {
    let crlfs = buf.iter().take_while(|&&c| c == b'\r' || c == b'\n').count();
    if crlfs > 0 {
        return Ok(StreamFrame::KeepAlive(crlfs));
    }
    Ok(match stream_message_len(buf, limits)? {
        Some(total) if buf.len() >= total => StreamFrame::Message(total),
        _ => StreamFrame::Incomplete,
    })
}

/// The whole length of the message `buf` starts with, once its head is
/// complete (None: not yet), whether or not its body has arrived: a
/// stream reader then waits for that many bytes without framing again.
pub fn stream_message_len(buf: &[u8], limits: &ParseLimits) -> Result<Option<usize>, ParseError> {
    let head_end = memchr::memmem::find(buf, b"\r\n\r\n").map(|i| i + 4);
    let Some(head_end) = head_end.or_else(|| memchr::memmem::find(buf, b"\n\n").map(|i| i + 2)) else {
        if buf.len() > limits.max_message_size {
            let limit = limits.max_message_size;
            return Err(ParseError::new(K::MessageTooLarge { limit }, 0));
        }
        return Ok(None);
    };
    if head_end > MAX_MESSAGE_SIZE.min(limits.max_message_size) {
        let limit = MAX_MESSAGE_SIZE.min(limits.max_message_size);
        return Err(ParseError::new(K::MessageTooLarge { limit }, 0));
    }
    let first_nl = memchr::memchr(b'\n', buf).unwrap_or(0);
    let mut head = HeadIndex::default();
    let head_buf = &buf[..head_end];
    let mut lines = LineScanner::new(head_buf, first_nl + 1);
    lines.begin();
    let body_start = index_headers(head_buf, &mut lines, first_nl + 1, limits, &mut head)?;
    let mut lengths = head.headers.iter().filter(|h| h.name == HeaderName::ContentLength);
    let Some(h) = lengths.next() else {
        return Err(ParseError::new(K::MissingHeader("Content-Length"), body_start));
    };
    // Two lengths make the message's end a guess: a framing error that
    // closes the connection (RFC 4475 §3.3.9).
    if let Some(second) = lengths.next() {
        let name = HeaderName::ContentLength.as_str();
        return Err(ParseError::new(K::DuplicateHeader(name), usize::from(second.name_start)));
    }
    let (at, raw) = h.trimmed(buf);
    let len = lex::parse_u32(raw).ok_or(ParseError::new(K::BadContentLength, at))?;
    let total = body_start + len as usize;
    if len as usize > limits.max_body_size || total > limits.max_message_size {
        return Err(ParseError::new(K::MessageTooLarge { limit: limits.max_message_size }, body_start));
    }
    Ok(Some(total))
}
