//! Datagram checks after indexing: byte hygiene of the head and body
//! framing by Content-Length (RFC 3261 §18.3).

use super::HeadIndex;
use crate::sip::error::{ParseError, ParseErrorKind as K, ParseLimits};
use crate::sip::header::HeaderName;
use crate::sip::lex;

/// A control character other than HT, CR and LF (the line ends are
/// checked apart).
fn is_ctrl(c: u8) -> bool {
    (c < 0x20) & (c != b'\t') & (c != b'\r') & (c != b'\n') | (c == 0x7f)
}

/// Rejects control characters and non-UTF-8 in the head; returns whether
/// it is all ASCII. One branch-free pass, so the common case vectorizes.
/// A control character is legal only escaped in a quoted string (RFC 3261
/// §25.1 quoted-pair: `\` and any byte but CR and LF).
pub(crate) fn check_head_bytes(head: &[u8]) -> Result<bool, (K, usize)> {
    let (mut ctrl, mut high) = (false, 0u8);
    for &c in head {
        ctrl |= is_ctrl(c);
        high |= c & 0x80;
    }
    if ctrl && let Some(at) = unescaped_control(head) {
        return Err((K::IllegalCharacter, at));
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

/// The first control character that is not the second byte of a
/// quoted-pair inside a quoted string. Quotes are tracked across folded
/// lines and forgotten at each new header line.
fn unescaped_control(head: &[u8]) -> Option<usize> {
    let mut quoted = false;
    let mut i = 0;
    while let Some(&c) = head.get(i) {
        match c {
            b'\n' if !matches!(head.get(i + 1), Some(b' ' | b'\t')) => quoted = false,
            b'\\' if quoted && !matches!(head.get(i + 1), None | Some(b'\r' | b'\n')) => i += 1,
            b'"' => quoted = !quoted,
            c if is_ctrl(c) => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Escaped control bytes pass only inside a quoted string; a bare one,
    /// one escaped outside quotes, or one after a quote closed on an
    /// earlier header line is refused where it stands.
    #[test]
    fn control_bytes_only_as_quoted_pairs() {
        let ok: [&[u8]; 4] = [
            b"To: \"a\\\x00b\\\x07\\\x7f\" <sip:a@b>\r\n",
            b"To: \"a \\\"\\\x01\" <sip:a@b>\r\n",
            b"Subject: \"folded\r\n \\\x02\"\r\n",
            b"X: plain\r\n",
        ];
        for h in ok {
            assert_eq!(check_head_bytes(h).map_err(|(k, _)| k), Ok(true), "{h:?}");
        }
        let bad: [(&[u8], usize); 5] = [
            (b"X: a\x00b\r\n", 4),
            (b"X: a\\\x00b\r\n", 5),
            (b"X: \"a\"\\\x07\r\n", 7),
            (b"X: \"open\r\nY: \\\x01\r\n", 14),
            (b"X: \"a\\\\\x01\"\r\n", 7),
        ];
        for (h, at) in bad {
            assert_eq!(check_head_bytes(h), Err((K::IllegalCharacter, at)), "{h:?}");
        }
    }
}
