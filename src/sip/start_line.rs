//! Request line (`Method SP Request-URI SP SIP/2.0`) and status line
//! (`SIP/2.0 SP 3DIGIT SP Reason-Phrase`), RFC 3261 §7.1 and §7.2.

use super::error::{ParseError, ParseErrorKind as K};
use super::message::StartLine;
use super::method::{Method, is_token_char};

/// `SIP/2.0`; the text is case-insensitive (RFC 3261 §7.1).
fn is_sip_2_0(v: &[u8]) -> bool {
    v.eq_ignore_ascii_case(b"SIP/2.0")
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
        return Ok(StartLine::Response { code, reason: (reason_start as u16, le as u16) });
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
        uri: ((ls + sp1 + 1) as u16, (ls + sp2) as u16),
    })
}

/// The common case in one forward pass: `TOKEN SP uri SP SIP/2.0` with a
/// clean URI. Anything else goes through the general path above, which
/// also classifies the error.
#[inline]
fn fast_request_line(line: &[u8], ls: usize) -> Option<StartLine> {
    let uri_end = line.len().checked_sub(8)?;
    if line[uri_end] != b' ' || !is_sip_2_0(&line[uri_end + 1..]) {
        return None;
    }
    let sp1 = line.iter().position(|&c| !is_token_char(c))?;
    if sp1 == 0 || line[sp1] != b' ' || sp1 + 1 >= uri_end {
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
        method: Method::from_token(&line[..sp1]),
        method_end: (ls + sp1) as u16,
        uri: ((ls + sp1 + 1) as u16, (ls + uri_end) as u16),
    })
}
