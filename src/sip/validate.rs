//! Message-level validation (RFC 3261 §8.1.1): mandatory headers present,
//! single-valued ones not repeated, CSeq well-formed and matching.

use super::error::{ParseError, ParseErrorKind as K};
use super::header_name::HeaderName;
use super::message::{Message, StartLine};
use super::method::Method;

impl Message {
    /// Mandatory headers (RFC 3261 §8.1.1), no duplicates of single-valued
    /// ones, a CSeq that parses and, for requests, matches the method.
    pub fn validate(&self) -> Result<(), ParseError> {
        if let Some((name, at)) = self.index.duplicate {
            return Err(ParseError::new(K::DuplicateHeader(name.as_str()), usize::from(at)));
        }
        for name in [HeaderName::Via, HeaderName::From, HeaderName::To, HeaderName::CallId, HeaderName::CSeq]
        {
            if self.first(name).is_none() {
                return Err(ParseError::new(K::MissingHeader(name.as_str()), usize::from(self.body.0)));
            }
        }
        if self.call_id().is_empty() {
            return Err(ParseError::new(K::BadHeaderValue("Call-ID"), self.value_offset(HeaderName::CallId)));
        }
        if self.cseq_is_plain_match() {
            return Ok(());
        }
        let cseq = self.cseq().map_err(|k| ParseError::new(k, self.value_offset(HeaderName::CSeq)))?;
        self.memo.cseq.set(Some(cseq.seq));
        if let StartLine::Request { method, .. } = self.start
            && (cseq.method != method
                || (method == Method::Extension && cseq.method_name != self.method_name()))
        {
            return Err(ParseError::new(K::CSeqMethodMismatch, self.value_offset(HeaderName::CSeq)));
        }
        Ok(())
    }

    /// The common request case in one pass: `CSeq: <1-9 digits> SP
    /// <the request's own method>` (below 2^31 by its length) needs no
    /// general parse; anything else takes the full path.
    fn cseq_is_plain_match(&self) -> bool {
        let StartLine::Request { method_end, .. } = self.start else {
            return false;
        };
        let Some(h) = self.first(HeaderName::CSeq) else {
            return false;
        };
        let value = super::lex::trim(self.slice(h.value_start, h.value_end));
        let digits = value.iter().take_while(|c| c.is_ascii_digit()).count();
        let method = self.slice(self.start_offset, method_end);
        let name = &value[(digits + 1).min(value.len())..];
        // Methods are short: a byte loop instead of a `memcmp` call.
        let same = name.len() == method.len() && name.iter().zip(method).all(|(a, b)| a == b);
        let plain = (1..=9).contains(&digits) && value.get(digits) == Some(&b' ') && same;
        if plain {
            let n = value[..digits].iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
            self.memo.cseq.set(Some(n));
        }
        plain
    }

    fn value_offset(&self, name: HeaderName) -> usize {
        self.first(name).map_or(0, |h| h.trimmed(&self.buf).0)
    }
}
