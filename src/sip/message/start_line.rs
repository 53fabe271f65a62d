//! Request line (`Method SP Request-URI SP SIP/2.0`) and status line
//! (`SIP/2.0 SP 3DIGIT SP Reason-Phrase`), RFC 3261 §7.1 and §7.2.

use super::StartLine;
use super::method_word::known_method;
use crate::sip::error::{ParseError, ParseErrorKind as K};
use crate::sip::method::{Method, is_token_char};
use crate::sip::span::Span;

/// Bit 0x20 of the letters of `SIP`: setting it folds their case and no
/// other byte can turn into one of them; `/2.0` must match exactly.
const SIP_FOLD: u64 = 0x20_2020;
const SIP_2_0: u64 = u64::from_le_bytes(*b"sip/2.0\0");

/// `SIP/2.0`; the text is case-insensitive (RFC 3261 §7.1). One word
/// compare: two overlapping 4-byte loads make the 7 bytes.
fn is_sip_2_0(v: &[u8]) -> bool {
    let (Some(a), Some(b)) = (v.first_chunk::<4>(), v.last_chunk::<4>()) else {
        return false;
    };
    let w = u64::from(u32::from_le_bytes(*a)) | u64::from(u32::from_le_bytes(*b)) << 24;
    v.len() == 7 && w | SIP_FOLD == SIP_2_0
}

fn is_sip_version_prefix(v: &[u8]) -> bool {
    v.len() >= 4 && v[..4].eq_ignore_ascii_case(b"SIP/")
}

pub(crate) fn parse_start_line(b: &[u8], (ls, le): (usize, usize)) -> Result<StartLine, ParseError> {
    let line = &b[ls..le];
    if let Some(request) = fast_request_line(line, ls) {
        return Ok(request);
    }
    let err = |kind, at: usize| ParseError::new(kind, ls + at);
    let Some(sp1) = memchr::memchr(b' ', line) else {
        return Err(err(K::BadStartLine, 0));
    };
    let first = &line[..sp1];
    if is_sip_version_prefix(first) {
        if !is_sip_2_0(first) {
            return Err(err(K::BadVersion, 0));
        }
        let rest = &line[sp1 + 1..];
        let code = rest.get(..3).ok_or(err(K::BadStatusCode, sp1 + 1))?;
        if !code.iter().all(u8::is_ascii_digit) || rest.get(3).is_some_and(|&c| c != b' ') {
            return Err(err(K::BadStatusCode, sp1 + 1));
        }
        let code = code.iter().fold(0u16, |n, &d| n * 10 + u16::from(d - b'0'));
        if !(100..=699).contains(&code) {
            return Err(err(K::BadStatusCode, sp1 + 1));
        }
        let reason_start = (ls + sp1 + 1 + 4).min(le);
        return Ok(StartLine::Response { code, reason: Span::new(reason_start, le) });
    }
    if first.is_empty() || !first.iter().all(|&c| is_token_char(c)) {
        return Err(err(K::BadMethod, 0));
    }
    let Some(sp2) = memchr::memrchr(b' ', line) else {
        return Err(err(K::BadStartLine, 0));
    };
    let version = &line[sp2 + 1..];
    if !is_sip_2_0(version) {
        let kind = if is_sip_version_prefix(version) { K::BadVersion } else { K::BadStartLine };
        return Err(err(kind, sp2 + 1));
    }
    if sp2 <= sp1 + 1 {
        return Err(err(K::BadRequestUri, sp1 + 1));
    }
    let uri = &line[sp1 + 1..sp2];
    // Whitespace inside the Request-URI is illegal (RFC 4475 §3.1.2.6).
    if uri.iter().any(|&c| c <= b' ' || c == 0x7f) || !uri.contains(&b':') {
        return Err(err(K::BadRequestUri, sp1 + 1));
    }
    Ok(StartLine::Request {
        method: Method::from_token(first),
        method_end: (ls + sp1) as u16,
        uri: Span::new(ls + sp1 + 1, ls + sp2),
    })
}

/// The common case in one forward pass: `TOKEN SP uri SP SIP/2.0` with a
/// clean URI. Anything else goes through the general path above, which
/// also classifies the error.
#[inline]
fn fast_request_line(line: &[u8], ls: usize) -> Option<StartLine> {
    let uri_end = line.len().checked_sub(8)?;
    let version = u64::from_le_bytes(*line.last_chunk::<8>()?);
    if version | SIP_FOLD << 8 != u64::from_le_bytes(*b" sip/2.0") {
        return None;
    }
    let (method, sp1) = known_method(u64::from_le_bytes(*line.first_chunk::<8>()?))?;
    if sp1 + 1 >= uri_end {
        return None;
    }
    let uri = &line[sp1 + 1..uri_end];
    let (mut colon, mut bad) = (false, false);
    for &c in uri {
        colon |= c == b':';
        bad |= c <= b' ' || c == 0x7f;
    }
    if bad || !colon {
        return None;
    }
    Some(StartLine::Request {
        method,
        method_end: (ls + sp1) as u16,
        uri: Span::new(ls + sp1 + 1, ls + uri_end),
    })
}
