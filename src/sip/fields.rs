//! Small typed header values: CSeq, Session-Expires, Event and
//! token-with-parameters forms.

use super::error::ParseErrorKind;
use super::lex;
use super::method::{Method, is_token_char};
use super::params::Params;

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
    /// Parses `1*DIGIT LWS Method`.
    pub fn parse(value: &'a str) -> Result<CSeq<'a>, ParseErrorKind> {
        let v = lex::trim_str(value);
        let digits = v.bytes().take_while(u8::is_ascii_digit).count();
        let seq = lex::parse_u32(&v.as_bytes()[..digits]).ok_or(ParseErrorKind::BadCSeq)?;
        // RFC 3261 §8.1.1.5: the number MUST be less than 2^31.
        if seq >= 1 << 31 {
            return Err(ParseErrorKind::BadCSeq);
        }
        let rest = lex::sub(v, digits, v.len());
        let method = lex::trim_str(rest);
        if rest.len() == method.len() || method.is_empty() || !method.bytes().all(is_token_char) {
            return Err(ParseErrorKind::BadCSeq);
        }
        Ok(CSeq { seq, method: Method::from_token(method.as_bytes()), method_name: method })
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
