//! Small typed header values: CSeq, Session-Expires, Event and
//! token-with-parameters forms.

use super::params::Params;
use crate::sip::error::ParseErrorKind;
use crate::sip::lex;
use crate::sip::method::{Method, is_token_char};

/// `CSeq: number method` (RFC 3261 §20.16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CSeq<'a> {
    /// Sequence number (below 2^31).
    pub seq: u32,
    /// Method.
    pub method: Method,
    /// Method text as written.
    pub method_name: &'a str,
}

impl<'a> CSeq<'a> {
    /// Parses `1*DIGIT LWS Method`. One forward pass: this runs in the
    /// validation of every message.
    pub fn parse(value: &'a str) -> Result<CSeq<'a>, ParseErrorKind> {
        let b = value.as_bytes();
        let mut i = 0;
        while i < b.len() && lex::is_lws(b[i]) {
            i += 1;
        }
        let (digits, mut seq) = (i, 0u32);
        while i < b.len() && b[i].is_ascii_digit() {
            // RFC 3261 §8.1.1.5: the number MUST be less than 2^31.
            seq = seq.checked_mul(10).and_then(|n| n.checked_add(u32::from(b[i] - b'0'))).unwrap_or(u32::MAX);
            i += 1;
        }
        let method_start = i + b[i..].iter().take_while(|&&c| lex::is_lws(c)).count();
        let mut end = b.len();
        while end > method_start && lex::is_lws(b[end - 1]) {
            end -= 1;
        }
        if i == digits || seq >= 1 << 31 || method_start == i || method_start == end {
            return Err(ParseErrorKind::BadCSeq);
        }
        let name = &b[method_start..end];
        let method = Method::from_token(name);
        // Known methods are tokens by their match.
        if method == Method::Extension && !name.iter().all(|&c| is_token_char(c)) {
            return Err(ParseErrorKind::BadCSeq);
        }
        Ok(CSeq { seq, method, method_name: lex::sub(value, method_start, end) })
    }
}

/// A token followed by parameters, as in Event (`presence;id=1`),
/// Session-Expires (`1800;refresher=uac`) or Content-Type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenParams<'a> {
    /// The leading value.
    pub value: &'a str,
    params: &'a str,
}

impl<'a> TokenParams<'a> {
    /// Splits at the first `;` outside quotes.
    pub fn parse(raw: &'a str) -> TokenParams<'a> {
        let i = lex::find_unquoted(raw.as_bytes(), b';').unwrap_or(raw.len());
        TokenParams { value: lex::trim_str(lex::sub(raw, 0, i)), params: lex::sub(raw, i, raw.len()) }
    }

    /// The parameters.
    pub fn params(&self) -> Params<'a> {
        Params::new(self.params)
    }

    /// A parameter's value.
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.params().get(name)
    }
}

/// `Session-Expires: delta-seconds [;refresher=uac|uas]` (RFC 4028 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionExpires<'a> {
    /// Session interval in seconds.
    pub seconds: u32,
    /// `uac` or `uas` when given.
    pub refresher: Option<&'a str>,
}

impl<'a> SessionExpires<'a> {
    /// Parses the header value.
    pub fn parse(raw: &'a str) -> Option<SessionExpires<'a>> {
        let tp = TokenParams::parse(raw);
        Some(SessionExpires {
            seconds: lex::parse_u32(tp.value.as_bytes())?,
            refresher: tp.param("refresher"),
        })
    }
}
