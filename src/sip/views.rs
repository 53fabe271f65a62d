//! Typed header views on `Message`: each reads its slice on demand.

use super::error::{ParseError, ParseErrorKind};
use super::fields::{CSeq, SessionExpires, TokenParams};
use super::header_name::HeaderName as H;
use super::header_name::HeaderName;
use super::lex;
use super::lex::Split;
use super::message::Message;
use super::name_addr::NameAddr;
use super::uri::Uri;
use super::via::Via;

impl Message {
    /// The first value of a header named by text: known names in any form,
    /// unknown ones compared case-insensitively.
    pub fn header_by_name(&self, name: &str) -> Option<&str> {
        let known = HeaderName::from_bytes(name.as_bytes());
        self.headers()
            .find(|h| {
                if known == HeaderName::Other {
                    h.name == HeaderName::Other && h.raw_name.eq_ignore_ascii_case(name)
                } else {
                    h.name == known
                }
            })
            .map(|h| h.value)
    }

    /// List elements across every header of this name: comma-joined values
    /// are split (outside quotes and `<...>`) when the header is a list.
    pub fn list(&self, name: HeaderName) -> impl Iterator<Item = &str> {
        let split = name.is_list();
        self.index.headers.iter().filter(move |h| h.name == name).flat_map(move |h| {
            let v = self.text(self.slice(h.value_start, h.value_end));
            // NUL never survives parsing, so it means "do not split".
            let sep = if split { b',' } else { 0 };
            Split::new(v, sep)
        })
    }

    fn required(&self, name: H) -> Result<&str, ParseError> {
        self.header(name).ok_or(ParseError::new(ParseErrorKind::MissingHeader(name.as_str()), 0))
    }

    /// Every Via value, top first, across repeated and comma-joined headers.
    pub fn vias(&self) -> impl Iterator<Item = Result<Via<'_>, ParseError>> {
        self.list(H::Via).map(Via::parse)
    }

    /// The From header.
    pub fn from(&self) -> Result<NameAddr<'_>, ParseError> {
        NameAddr::parse(self.required(H::From)?, "From")
    }

    /// The To header.
    pub fn to(&self) -> Result<NameAddr<'_>, ParseError> {
        NameAddr::parse(self.required(H::To)?, "To")
    }

    /// Contact values (a wildcard shows as `is_star()`).
    pub fn contacts(&self) -> impl Iterator<Item = Result<NameAddr<'_>, ParseError>> {
        self.list(H::Contact).map(|v| NameAddr::parse(v, "Contact"))
    }

    /// The first Contact.
    pub fn contact(&self) -> Option<Result<NameAddr<'_>, ParseError>> {
        // The usual lone Contact value needs no list split.
        match self.header(H::Contact) {
            Some(v) if !v.is_empty() && super::byte_search::find_byte(v.as_bytes(), b',').is_none() => {
                Some(NameAddr::parse(v, "Contact"))
            }
            _ => self.contacts().next(),
        }
    }

    /// Route values in order.
    pub fn routes(&self) -> impl Iterator<Item = Result<NameAddr<'_>, ParseError>> {
        self.list(H::Route).map(|v| NameAddr::parse(v, "Route"))
    }

    /// Record-Route values in order.
    pub fn record_routes(&self) -> impl Iterator<Item = Result<NameAddr<'_>, ParseError>> {
        self.list(H::RecordRoute).map(|v| NameAddr::parse(v, "Record-Route"))
    }

    /// Refer-To (RFC 3515).
    pub fn refer_to(&self) -> Option<Result<NameAddr<'_>, ParseError>> {
        self.header(H::ReferTo).map(|v| NameAddr::parse(v, "Refer-To"))
    }

    /// The Call-ID (`""` when absent; `validate` rejects that).
    pub fn call_id(&self) -> &str {
        self.header(H::CallId).unwrap_or("")
    }

    /// The CSeq header.
    pub fn cseq(&self) -> Result<CSeq<'_>, ParseErrorKind> {
        let v = self.header(H::CSeq).ok_or(ParseErrorKind::MissingHeader("CSeq"))?;
        CSeq::parse(v)
    }

    fn number(&self, name: H, max: u32) -> Option<Result<u32, ParseError>> {
        let h = self.index.headers.iter().find(|h| h.name == name)?;
        let (at, v) = h.trimmed(&self.buf);
        let bad = || ParseError::new(ParseErrorKind::BadHeaderValue(name.as_str()), at);
        Some(lex::parse_u32(v).filter(|&n| n <= max).ok_or_else(bad))
    }

    /// Max-Forwards, 0..=255 (RFC 3261 §20.22).
    pub fn max_forwards(&self) -> Option<Result<u32, ParseError>> {
        self.number(H::MaxForwards, 255)
    }

    /// Content-Length as written (framing already checked it).
    pub fn content_length(&self) -> Option<Result<u32, ParseError>> {
        self.number(H::ContentLength, u32::MAX)
    }

    /// Expires (delta-seconds).
    pub fn expires(&self) -> Option<Result<u32, ParseError>> {
        self.number(H::Expires, u32::MAX)
    }

    /// Content-Type: media type (`application/sdp`) and parameters.
    pub fn content_type(&self) -> Option<TokenParams<'_>> {
        self.header(H::ContentType).map(TokenParams::parse)
    }

    /// Event (RFC 6665): package and parameters.
    pub fn event(&self) -> Option<TokenParams<'_>> {
        self.header(H::Event).map(TokenParams::parse)
    }

    /// Session-Expires (RFC 4028).
    pub fn session_expires(&self) -> Option<SessionExpires<'_>> {
        self.header(H::SessionExpires).and_then(SessionExpires::parse)
    }

    /// Option tags in Require.
    pub fn require(&self) -> impl Iterator<Item = &str> {
        self.list(H::Require)
    }

    /// Option tags in Supported.
    pub fn supported(&self) -> impl Iterator<Item = &str> {
        self.list(H::Supported)
    }

    /// Option tags in Unsupported.
    pub fn unsupported(&self) -> impl Iterator<Item = &str> {
        self.list(H::Unsupported)
    }

    /// Methods in Allow.
    pub fn allow(&self) -> impl Iterator<Item = &str> {
        self.list(H::Allow)
    }

    /// The Request-URI, parsed.
    pub fn parse_request_uri(&self) -> Result<Uri<'_>, ParseError> {
        Uri::parse(self.request_uri())
    }
}
