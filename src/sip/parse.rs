//! The message parser: start line, header index, datagram body framing.
//! Bounded by `ParseLimits`; every failure is a typed error with an offset.

use bytes::Bytes;

use super::datagram::{check_head_bytes, frame_body};
use super::error::{ParseError, ParseErrorKind as K, ParseLimits};
use super::header_name::HeaderName;
use super::message::{ABSENT, HeadIndex, HeaderEntry, MAX_MESSAGE_SIZE, Message, StartLine};
use super::method::is_token_char;
use super::scan::LineScanner;
use super::start_line::parse_start_line;

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

    /// One body for both entry points, so the message is built once and
    /// moved once (a validating wrapper copied the whole index again).
    #[inline(always)]
    fn parse_checked(buf: Bytes, limits: &ParseLimits, validate: bool) -> Result<Message, ParseError> {
        let limit = limits.max_message_size.min(MAX_MESSAGE_SIZE);
        if buf.len() > limit {
            return Err(ParseError::new(K::MessageTooLarge { limit }, limit));
        }
        // Built in place inside the returned `Result` and filled there: the
        // message (about 270 bytes) is never moved once parsed.
        let mut out = Ok(Message {
            start_offset: 0,
            start: StartLine::Response { code: 0, reason: (0, 0) },
            index: HeadIndex::default(),
            body: (0, 0),
            ascii: true,
            memo: Default::default(),
            buf,
        });
        if let Ok(msg) = &mut out {
            fill(msg, limits)?;
            if validate {
                msg.validate()?;
            }
        }
        out
    }
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
    *body = (body_start as u16, body_end as u16);
    Ok(())
}

/// Returns the line starting at `pos` (without CR/LF) and where the next
/// one starts. A line must end in LF (CR optional) within the cap.
#[inline]
fn next_line(
    b: &[u8],
    lines: &mut LineScanner<'_>,
    pos: usize,
    limits: &ParseLimits,
) -> Result<((usize, usize), usize), ParseError> {
    let too_long = ParseError::new(K::LineTooLong { limit: limits.max_line_len }, pos);
    let Some(nl) = lines.next_newline(pos) else {
        return Err(if b.len() - pos > limits.max_line_len {
            too_long
        } else {
            ParseError::new(K::Truncated, pos)
        });
    };
    let end = if nl > pos && b[nl - 1] == b'\r' { nl - 1 } else { nl };
    if end - pos > limits.max_line_len {
        return Err(too_long);
    }
    Ok(((pos, end), nl + 1))
}

/// Indexes header lines up to the empty line; returns where the body
/// starts.
pub(crate) fn index_headers(
    b: &[u8],
    lines: &mut LineScanner<'_>,
    mut pos: usize,
    limits: &ParseLimits,
    head: &mut HeadIndex,
) -> Result<usize, ParseError> {
    let max_headers = limits.max_headers.min(usize::from(ABSENT));
    let mut folded_len = 0usize;
    loop {
        let ((ls, le), next) = next_line(b, lines, pos, limits)?;
        pos = next;
        if ls == le {
            return Ok(next);
        }
        if b[ls] == b' ' || b[ls] == b'\t' {
            // Continuation line: the previous value grows (RFC 3261 §7.3.1).
            let Some(last) = head.headers.last_mut() else {
                return Err(ParseError::new(K::BadHeaderName, ls));
            };
            folded_len += next - ls;
            if folded_len > limits.max_line_len {
                return Err(ParseError::new(K::LineTooLong { limit: limits.max_line_len }, ls));
            }
            last.value_end = le as u16;
            continue;
        }
        if head.headers.len() >= max_headers {
            return Err(ParseError::new(K::TooManyHeaders { limit: max_headers }, ls));
        }
        let entry = header_line(b, lines, ls, le)?;
        if let Some(slot) = head.known.get_mut(entry.name as usize) {
            if *slot == ABSENT {
                *slot = head.headers.len() as u8;
            } else if entry.name.is_single() && head.duplicate.is_none() {
                head.duplicate = Some((entry.name, entry.name_start));
            }
        }
        head.headers.push(entry);
        folded_len = next - ls;
    }
}

/// `name *(SP/HT) ":" value`. Known names are proven valid by their
/// exact (case-folded) match; only unknown ones are checked byte by byte.
#[inline(always)]
fn header_line(b: &[u8], lines: &LineScanner<'_>, ls: usize, le: usize) -> Result<HeaderEntry, ParseError> {
    let Some(colon) = lines.first_colon(ls, le) else {
        return Err(ParseError::new(K::MissingColon, ls));
    };
    // Names nearly always end at the colon: classify that first, and trim
    // blanks before the colon only when it does not match.
    let mut name_end = colon;
    let mut name = super::header_classify::classify_prefix(&b[ls..], colon - ls);
    if name == HeaderName::Other && colon > ls && matches!(b[colon - 1], b' ' | b'\t') {
        name_end = ls + b[ls..colon].iter().rposition(|&c| c != b' ' && c != b'\t').map_or(0, |i| i + 1);
        name = super::header_classify::classify_prefix(&b[ls..], name_end - ls);
    }
    let name_len = name_end - ls;
    // A known name is 1..=24 valid token bytes by its match.
    if name == HeaderName::Other
        && (name_len == 0
            || name_len > usize::from(u8::MAX)
            || !b[ls..name_end].iter().all(|&c| is_token_char(c)))
    {
        return Err(ParseError::new(K::BadHeaderName, ls));
    }
    // Nearly always exactly one space after the colon. The line's CR or
    // LF at `le` ends every run of blanks, so no length check is needed.
    let mut vs = colon + 1;
    vs += usize::from(b[vs] == b' ');
    if matches!(b[vs], b' ' | b'\t') {
        vs += b[vs..le].iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    }
    Ok(HeaderEntry {
        name,
        name_len: name_len as u8,
        name_start: ls as u16,
        value_start: vs as u16,
        value_end: le as u16,
    })
}
