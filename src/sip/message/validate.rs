//! Message-level validation (RFC 3261 §8.1.1): mandatory headers present,
//! single-valued ones not repeated, CSeq well-formed and matching.

use super::{Message, StartLine};
use crate::sip::error::{ParseError, ParseErrorKind as K};
use crate::sip::header::HeaderName;
use crate::sip::method::Method;
use crate::sip::span::Span;

/// Mandatory headers (RFC 3261 §8.1.1), no duplicates of single-valued
/// ones, a CSeq that parses and, for requests, matches the method. Fills
/// the memo's CSeq number on the way.
pub(super) fn validate(msg: &Message) -> Result<(), ParseError> {
    if let Some((name, at)) = msg.index.duplicate {
        return Err(ParseError::new(K::DuplicateHeader(name.as_str()), usize::from(at)));
    }
    for name in [HeaderName::Via, HeaderName::From, HeaderName::To, HeaderName::CallId, HeaderName::CSeq] {
        if msg.first(name).is_none() {
            return Err(ParseError::new(K::MissingHeader(name.as_str()), usize::from(msg.body.start)));
        }
    }
    if msg.call_id().is_empty() {
        return Err(ParseError::new(K::BadHeaderValue("Call-ID"), value_offset(msg, HeaderName::CallId)));
    }
    if cseq_is_plain_match(msg) {
        return Ok(());
    }
    let cseq = msg.cseq().map_err(|k| ParseError::new(k, value_offset(msg, HeaderName::CSeq)))?;
    msg.memo.cseq.set(Some(cseq.seq));
    if let StartLine::Request { method, .. } = msg.start
        && (cseq.method != method || (method == Method::Extension && cseq.method_name != msg.method_name()))
    {
        return Err(ParseError::new(K::CSeqMethodMismatch, value_offset(msg, HeaderName::CSeq)));
    }
    Ok(())
}

/// The common request case in one pass: `CSeq: <1-9 digits> SP <the
/// request's own method>` (below 2^31 by its length) needs no general
/// parse; anything else takes the full path.
fn cseq_is_plain_match(msg: &Message) -> bool {
    let StartLine::Request { method_end, .. } = msg.start else {
        return false;
    };
    let Some(h) = msg.first(HeaderName::CSeq) else {
        return false;
    };
    let value = crate::sip::lex::trim(msg.slice(h.value));
    let digits = value.iter().take_while(|c| c.is_ascii_digit()).count();
    let method = msg.slice(Span { start: msg.start_offset, end: method_end });
    let name = &value[(digits + 1).min(value.len())..];
    // Methods are short: compared byte by byte.
    let same = name.len() == method.len() && name.iter().zip(method).all(|(a, b)| a == b);
    let plain = (1..=9).contains(&digits) && value.get(digits) == Some(&b' ') && same;
    if plain {
        let n = value[..digits].iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
        msg.memo.cseq.set(Some(n));
    }
    plain
}

fn value_offset(msg: &Message, name: HeaderName) -> usize {
    msg.first(name).map_or(0, |h| h.trimmed(&msg.buf).0)
}
