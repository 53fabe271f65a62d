//! The message parser: start line, header index, datagram body framing.
//! Bounded by `ParseLimits`; every failure is a typed error with an offset.

use bytes::Bytes;

use super::datagram::{check_head_bytes, frame_body};
use super::header_lines::{index_headers, next_line};
use super::scan::LineScanner;
use super::start_line::parse_start_line;
use super::{HeadIndex, MAX_MESSAGE_SIZE, Message, StartLine};
use crate::sip::error::{ParseError, ParseErrorKind as K, ParseLimits};
use crate::sip::span::Span;

impl Message {
    /// Parses and validates a datagram with the default limits.
    #[inline(always)]
    pub fn parse(buf: Bytes) -> Result<Message, ParseError> {
        Self::parse_with(buf, &ParseLimits::default())
    }

    /// Parses and validates a datagram with the given limits.
    #[inline(always)]
    pub fn parse_with(buf: Bytes, limits: &ParseLimits) -> Result<Message, ParseError> {
        Self::parse_checked(buf, limits, true)
    }

    /// Structure only (start line, headers, body framing), without the
    /// mandatory-header checks: lets a caller answer 400 to a message that
    /// is well-formed enough to route a response.
    #[inline(always)]
    pub fn parse_unvalidated(buf: Bytes, limits: &ParseLimits) -> Result<Message, ParseError> {
        Self::parse_checked(buf, limits, false)
    }

    /// `parse_with` for the core's receive path, filling a message the
    /// caller built with `unparsed` in its own frame: the message (about
    /// 300 bytes) is then never copied out of a `Result`, and a failure
    /// leaves the buffer in `msg` for the 400 answer.
    #[inline(always)]
    pub(crate) fn fill_received(msg: &mut Message, limits: &ParseLimits) -> Result<(), ParseError> {
        fill_checked(msg, limits, true)
    }

    /// One body for both public entry points, so the message is built once.
    #[inline(always)]
    fn parse_checked(buf: Bytes, limits: &ParseLimits, validate: bool) -> Result<Message, ParseError> {
        // One value returned on every path (no early `?`), so it is built
        // in the return slot and filled there: the message (about 300
        // bytes) is never moved once parsed.
        let mut out = Ok(Message::unparsed(buf));
        if let Ok(msg) = &mut out
            && let Err(e) = fill_checked(msg, limits, validate)
        {
            out = Err(e);
        }
        out
    }

    /// Moves the message out, leaving an empty one (no buffer, no headers).
    pub(crate) fn take(&mut self) -> Message {
        std::mem::replace(self, Message::unparsed(Bytes::new()))
    }

    #[inline(always)]
    pub(crate) fn unparsed(buf: Bytes) -> Message {
        Message {
            start_offset: 0,
            start: StartLine::Response { code: 0, reason: Span::default() },
            index: HeadIndex::default(),
            body: Span::default(),
            ascii: true,
            memo: Default::default(),
            buf,
        }
    }
}

/// The size cap, then `fill`, then (when asked) the message-level checks.
#[inline(always)]
fn fill_checked(msg: &mut Message, limits: &ParseLimits, validate: bool) -> Result<(), ParseError> {
    let limit = limits.max_message_size.min(MAX_MESSAGE_SIZE);
    if msg.buf.len() > limit {
        return Err(ParseError::new(K::MessageTooLarge { limit }, limit));
    }
    fill(msg, limits)?;
    if validate {
        super::validate::validate(msg)?;
    }
    Ok(())
}

/// Start line, header index and body framing, written into `msg`.
#[inline(always)]
fn fill(msg: &mut Message, limits: &ParseLimits) -> Result<(), ParseError> {
    let Message { buf, start_offset, start: start_line, index, body, ascii, .. } = msg;
    let b: &[u8] = buf;
    // RFC 3261 §7.5: CRLFs before the start line are ignored (keep-alives).
    let Some(start) = b.iter().position(|&c| c != b'\r' && c != b'\n') else {
        return Err(ParseError::new(K::Empty, 0));
    };
    let mut lines = LineScanner::new(b, start);
    lines.begin();
    let (line, next) = next_line(b, &mut lines, start, limits)?;
    *start_line = parse_start_line(b, line)?;
    *start_offset = start as u16;
    let body_start = index_headers(b, &mut lines, next, limits, index)?;
    if lines.suspect_before(body_start) {
        *ascii = check_head_bytes(&b[start..body_start])
            .map_err(|(kind, at)| ParseError::new(kind, start + at))?;
    }
    let body_end = frame_body(b, index, body_start, limits)?;
    *body = Span::new(body_start, body_end);
    Ok(())
}
