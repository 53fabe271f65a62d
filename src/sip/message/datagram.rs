//! Datagram checks after indexing: byte hygiene of the head and body
//! framing by Content-Length (RFC 3261 §18.3).

use super::HeadIndex;
use crate::sip::error::{ParseError, ParseErrorKind as K, ParseLimits};
use crate::sip::header::HeaderName;
use crate::sip::lex;

/// Rejects control characters and non-UTF-8 in the head; returns whether
/// it is all ASCII. One branch-free pass, so the common case vectorizes.
pub(crate) fn check_head_bytes(head: &[u8]) -> Result<bool, (K, usize)> {
    let is_ctrl = |c: u8| (c < 0x20) & (c != b'\t') & (c != b'\r') & (c != b'\n') | (c == 0x7f);
    let (mut ctrl, mut high) = (false, 0u8);
    for &c in head {
        ctrl |= is_ctrl(c);
        high |= c & 0x80;
    }
    if ctrl {
        return Err((K::IllegalCharacter, head.iter().position(|&c| is_ctrl(c)).unwrap_or(0)));
    }
    // CR only ever comes as part of CRLF (RFC 3261 §7.3.1).
    if let Some(at) = memchr::memchr_iter(b'\r', head).find(|&i| head.get(i + 1) != Some(&b'\n')) {
        return Err((K::IllegalCharacter, at));
    }
    if high != 0 {
        std::str::from_utf8(head).map_err(|e| (K::InvalidUtf8, e.valid_up_to()))?;
    }
    Ok(high == 0)
}

/// Datagram framing (RFC 3261 §18.3): Content-Length bytes of body, the
/// rest of the datagram when absent; more than the datagram holds is an error.
pub(crate) fn frame_body(
    b: &[u8],
    head: &HeadIndex,
    body_start: usize,
    limits: &ParseLimits,
) -> Result<usize, ParseError> {
    let available = b.len() - body_start;
    let cl = head.known[HeaderName::ContentLength as usize];
    let len = match head.headers.get(usize::from(cl)) {
        Some(h) => {
            let (at, raw) = h.trimmed(b);
            let n = lex::parse_u32(raw).ok_or(ParseError::new(K::BadContentLength, at))? as usize;
            if n > available {
                return Err(ParseError::new(K::ContentLengthExceedsDatagram, at));
            }
            n
        }
        None => available,
    };
    if len > limits.max_body_size {
        return Err(ParseError::new(K::BodyTooLarge { limit: limits.max_body_size }, body_start));
    }
    Ok(body_start + len)
}
