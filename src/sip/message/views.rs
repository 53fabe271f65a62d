//! Typed header views on `Message`: each reads its slice on demand, or
//! from the memo for the values several layers read (top Via, tags, CSeq
//! number).

use super::Message;
use crate::sip::error::{ParseError, ParseErrorKind};
use crate::sip::header::HeaderName as H;
use crate::sip::header::{CSeq, NameAddr, SessionExpires, TokenParams, Uri, Via};
use crate::sip::lex;

impl Message {
    fn required(&self, name: H) -> Result<&str, ParseError> {
        self.header(name).ok_or(ParseError::new(ParseErrorKind::MissingHeader(name.as_str()), 0))
    }

    /// The topmost Via value, parsed once per message.
    pub fn via(&self) -> Result<Via<'_>, ParseError> {
        let v = self.memo.top_via(self)?;
        Ok(v.cuts.apply_with(self.slice(v.text), |b| self.text(b)))
    }

    /// The top Via's branch and sent-by, the parts a transaction key
    /// needs, without building the whole `Via`.
    pub(crate) fn via_branch_and_sent_by(&self) -> Result<(Option<&str>, &str), ParseError> {
        let v = self.memo.top_via(self)?;
        let (branch, sent_by) = v.cuts.branch_and_sent_by(self.slice(v.text));
        Ok((branch.map(|b| self.text(b)), self.text(sent_by)))
    }

    /// The top Via's `rport` presence, sent-by port and `maddr`: where a
    /// response goes (RFC 3261 §18.2.2), without building the whole `Via`.
    pub(crate) fn via_reply_parts(&self) -> Result<(bool, Option<u16>, Option<&str>), ParseError> {
        let v = self.memo.top_via(self)?;
        let (rport, port, maddr) = v.cuts.reply_parts(self.slice(v.text));
        Ok((rport, port, maddr.map(|m| self.text(m))))
    }

    /// A top Via read by the one-pass parser: the value up to its end,
    /// its host, and whether it carries `received` or `rport`. A response
    /// copies such a Via as written when it needs neither filled in.
    pub(crate) fn plain_top_via(&self) -> Option<(&str, &str, bool)> {
        let v = self.memo.top_via(self).ok().filter(|v| v.plain)?;
        let (value, host, fill) = v.cuts.plain_parts(self.slice(v.text))?;
        Some((self.text(value), self.text(host), fill))
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

    /// The From tag (`None` when absent or empty), parsed once.
    pub fn from_tag(&self) -> Result<Option<&str>, ParseError> {
        self.memo.tag(self, H::From)
    }

    /// The To tag (`None` when absent or empty), parsed once.
    pub fn to_tag(&self) -> Result<Option<&str>, ParseError> {
        self.memo.tag(self, H::To)
    }

    /// Contact values (a wildcard shows as `is_star()`).
    pub fn contacts(&self) -> impl Iterator<Item = Result<NameAddr<'_>, ParseError>> {
        self.list(H::Contact).map(|v| NameAddr::parse(v, "Contact"))
    }

    /// The first Contact.
    pub fn contact(&self) -> Option<Result<NameAddr<'_>, ParseError>> {
        // The usual lone Contact value needs no list split.
        match self.header(H::Contact) {
            Some(v) if !v.is_empty() && lex::find_byte(v.as_bytes(), b',').is_none() => {
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

    /// The CSeq number, parsed once (usually already by validation).
    pub fn cseq_number(&self) -> Option<u32> {
        self.memo.cseq_number(self)
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
