//! `name-addr` / `addr-spec` values (RFC 3261 §20.10, §25.1): From, To,
//! Contact, Route, Record-Route, Refer-To.

use super::params::Params;
use super::uri::Uri;
use crate::sip::error::{ParseError, ParseErrorKind};
use crate::sip::lex;
use crate::sip::method::is_token_char;

/// Bytes that make a value more than a bare URI: quotes, brackets,
/// parameters, list commas, URI headers (which need brackets) and
/// whitespace (LWS, so nothing to trim).
const ADDR_SPEC_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let stops = *b"\"<>;,? \t\r\n";
    let mut i = 0;
    while i < stops.len() {
        t[stops[i] as usize] = true;
        i += 1;
    }
    t
};

/// A display name, a URI and header parameters, read in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameAddr<'a> {
    /// Display name without quotes (escapes kept as written); `None` when absent.
    pub display_name: Option<&'a str>,
    /// The URI text (`*` for a wildcard Contact).
    pub uri: &'a str,
    /// Whether the URI was enclosed in `<...>`.
    pub bracketed: bool,
    params: &'a str,
}

impl<'a> NameAddr<'a> {
    /// Parses one value; `header` names the header in the error.
    pub fn parse(value: &'a str, header: &'static str) -> Result<NameAddr<'a>, ParseError> {
        // The usual bare `sip:user@host:port` Contact: the whole value is
        // the URI, which is what the general parse finds (tested below).
        if is_bare_uri(value) {
            return Ok(NameAddr { display_name: None, uri: value, bracketed: false, params: "" });
        }
        Self::parse_general(value, header)
    }

    fn parse_general(value: &'a str, header: &'static str) -> Result<NameAddr<'a>, ParseError> {
        let bad = |at: usize| ParseError::new(ParseErrorKind::BadHeaderValue(header), at);
        let v = lex::trim_str(value);
        let b = v.as_bytes();
        if v == "*" {
            return Ok(NameAddr { display_name: None, uri: v, bracketed: false, params: "" });
        }
        let (display_name, rest_at) = if b.first() == Some(&b'"') {
            let close = closing_quote(b).ok_or(bad(0))?;
            let after = lex::trim(&b[close + 1..]);
            if after.first() != Some(&b'<') {
                return Err(bad(close + 1));
            }
            (Some(&v[1..close]), b.len() - after.len())
        } else {
            match lex::find_byte(b, b'<') {
                Some(lt) => {
                    let name = lex::trim_str(lex::sub(v, 0, lt));
                    // An unquoted display name is `*(token LWS)` (RFC 3261 §25.1).
                    if !name.bytes().all(|c| is_token_char(c) || lex::is_lws(c)) {
                        return Err(bad(0));
                    }
                    (Some(name).filter(|n| !n.is_empty()), lt)
                }
                None => (None, 0),
            }
        };
        let rest = &v[rest_at..];
        if let Some(inner) = rest.strip_prefix('<') {
            // A byte search: `>` is ASCII, no char decoding is needed.
            let gt = lex::find_byte(inner.as_bytes(), b'>').ok_or(bad(rest_at))?;
            let uri = &inner[..gt];
            let params = lex::trim_str(&inner[gt + 1..]);
            // `<` addr-spec `>` with no LWS inside (RFC 3261 §25.1 LAQUOT,
            // RAQUOT; RFC 4475 §3.1.2.14): a UAS would echo it.
            let padded =
                uri.bytes().next().is_some_and(lex::is_lws) || uri.bytes().last().is_some_and(lex::is_lws);
            if uri.is_empty() || padded || !(params.is_empty() || params.starts_with(';')) {
                return Err(bad(rest_at));
            }
            return Ok(NameAddr { display_name, uri, bracketed: true, params });
        }
        // addr-spec: parameters after the URI belong to the header, and a
        // URI with `,`, `?` or `;` of its own needs brackets (§20.10; RFC
        // 4475 §3.1.2.13).
        let (uri, params) = match lex::find_byte(rest.as_bytes(), b';') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let uri = lex::trim_str(uri);
        if uri.is_empty() || uri.bytes().any(|c| matches!(c, b' ' | b'\t' | b'>' | b'?' | b',')) {
            return Err(bad(rest_at));
        }
        Ok(NameAddr { display_name, uri, bracketed: false, params })
    }

    /// The parsed URI.
    pub fn parse_uri(&self) -> Result<Uri<'a>, ParseError> {
        Uri::parse(self.uri)
    }

    /// Header parameters (`;tag=…;expires=…`).
    pub fn params(&self) -> Params<'a> {
        Params::new(self.params)
    }

    /// The raw parameter text, leading `;` included.
    pub fn params_str(&self) -> &'a str {
        self.params
    }

    /// A parameter's value.
    pub fn param(&self, name: &str) -> Option<&'a str> {
        self.params().get(name)
    }

    /// The `tag` parameter (From/To).
    pub fn tag(&self) -> Option<&'a str> {
        self.param("tag").filter(|t| !t.is_empty())
    }

    /// The `expires` parameter (Contact), when it is a number.
    pub fn expires(&self) -> Option<u32> {
        self.param("expires").and_then(|e| lex::parse_u32(e.as_bytes()))
    }

    /// The wildcard Contact of a REGISTER (`Contact: *`).
    pub fn is_star(&self) -> bool {
        self.uri == "*"
    }
}

/// Index of the quote closing the string that opens at `b[0]`.
fn closing_quote(b: &[u8]) -> Option<usize> {
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn is_bare_uri(v: &str) -> bool {
    !v.is_empty() && v.bytes().all(|c| !ADDR_SPEC_STOP[usize::from(c)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wherever the bare-URI shortcut answers, the general parse agrees.
    #[test]
    fn bare_uri_shortcut_agrees_with_the_general_parse() {
        let seeds =
            ["sip:sipp@127.0.0.1:5061", "sips:a@[::1]:5061", "tel:+1-555", "*", "sip:a@b;lr", "<sip:a>"];
        let alphabet = b" \t;,<>\"@:*x?\r\n";
        let mut hits = 0;
        for v in crate::sip::mutate::mutations(&seeds, alphabet, 300, 2) {
            if is_bare_uri(&v) {
                hits += 1;
                assert_eq!(NameAddr::parse(&v, "Contact"), NameAddr::parse_general(&v, "Contact"), "{v:?}");
            }
        }
        assert!(hits > 200, "shortcut used: {hits}");
    }
}
