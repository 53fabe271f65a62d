//! Header lines: each one found, split at its colon and classified into
//! the message's index; folded lines extend the previous value.

use super::index::ABSENT;
use super::scan::LineScanner;
use super::{HeadIndex, HeaderEntry};
use crate::sip::error::{ParseError, ParseErrorKind as K, ParseLimits};
use crate::sip::header::{HeaderName, classify_prefix};
use crate::sip::method::is_token_char;
use crate::sip::span::Span;

/// Returns the line starting at `pos` (without CR/LF) and where the next
/// one starts; `pos` is where the scanner's previous line ended. A line
/// must end in LF (CR optional) within the cap.
#[inline]
pub(crate) fn next_line(
    b: &[u8],
    lines: &mut LineScanner<'_>,
    pos: usize,
    limits: &ParseLimits,
) -> Result<((usize, usize), usize), ParseError> {
    let too_long = ParseError::new(K::LineTooLong { limit: limits.max_line_len }, pos);
    let Some(nl) = lines.next_newline() else {
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
        let ls = pos;
        let nl = header_line_end(b, lines, ls, limits)?;
        pos = nl + 1;
        // The first byte tells the line's kind. Values end at the LF: the
        // CR before it stays in the value, which every reader trims.
        match b[ls] {
            b'\n' => return Ok(pos),
            b'\r' if nl == ls + 1 => return Ok(pos),
            b' ' | b'\t' => {
                // Continuation line: the previous value grows (RFC 3261 §7.3.1).
                let Some(last) = head.headers.last_mut() else {
                    return Err(ParseError::new(K::BadHeaderName, ls));
                };
                folded_len += pos - ls;
                if folded_len > limits.max_line_len {
                    return Err(ParseError::new(K::LineTooLong { limit: limits.max_line_len }, ls));
                }
                last.value.end = nl as u16;
                continue;
            }
            _ => {}
        }
        if head.headers.len() >= max_headers {
            return Err(ParseError::new(K::TooManyHeaders { limit: max_headers }, ls));
        }
        let entry = header_line(b, lines, ls, nl)?;
        if let Some(slot) = head.known.get_mut(entry.name as usize) {
            if *slot == ABSENT {
                *slot = head.headers.len() as u8;
            } else if entry.name.is_single() && head.duplicate.is_none() {
                head.duplicate = Some((entry.name, entry.name_start));
            }
        }
        head.headers.push(entry);
        folded_len = pos - ls;
    }
}

/// The LF that ends the header line starting at `pos`, within the cap
/// (which counts the line without its CR and LF, as `next_line` does).
#[inline(always)]
fn header_line_end(
    b: &[u8],
    lines: &mut LineScanner<'_>,
    pos: usize,
    limits: &ParseLimits,
) -> Result<usize, ParseError> {
    let too_long = |at| ParseError::new(K::LineTooLong { limit: limits.max_line_len }, at);
    let nl = match lines.next_newline() {
        Some(nl) if nl - pos <= limits.max_line_len => return Ok(nl),
        Some(nl) => nl,
        None if b.len() - pos > limits.max_line_len => return Err(too_long(pos)),
        None => return Err(ParseError::new(K::Truncated, pos)),
    };
    if nl - pos - usize::from(b[nl - 1] == b'\r') > limits.max_line_len {
        return Err(too_long(pos));
    }
    Ok(nl)
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
    let mut name = classify_prefix(&b[ls..], colon - ls);
    if name == HeaderName::Other && colon > ls && matches!(b[colon - 1], b' ' | b'\t') {
        name_end = ls + b[ls..colon].iter().rposition(|&c| c != b' ' && c != b'\t').map_or(0, |i| i + 1);
        name = classify_prefix(&b[ls..], name_end - ls);
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
    // The value keeps its leading blanks: every reader trims it anyway.
    let vs = colon + 1;
    Ok(HeaderEntry { name, name_len: name_len as u8, name_start: ls as u16, value: Span::new(vs, le) })
}
