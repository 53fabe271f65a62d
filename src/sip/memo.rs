//! Values several layers read from one message (the top Via, the From and
//! To tags, the CSeq number), parsed on first use and remembered as offsets into the
//! buffer. The transaction key, the reply address, the response writer and
//! dialog matching each asked again and re-parsed; now they share one parse.

use std::cell::Cell;

use super::error::{ParseError, ParseErrorKind};
use super::header_name::HeaderName as H;
use super::message::Message;
use super::via::Via;
use super::via_cuts::ViaCuts;
use super::via_plain;

/// A remembered `&str` of the message: `start..end`, or `NONE` for an
/// absent optional value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span(u16, u16);

const NONE: Span = Span(u16::MAX, u16::MAX);

/// The top Via: the text it was read from and where its parts lie in it.
#[derive(Debug, Clone, Copy)]
struct ViaMemo {
    text: Span,
    cuts: ViaCuts,
    /// The one-pass parser read it (see `Message::plain_top_via`).
    plain: bool,
}

/// The per-message memo; `Cell`s because the message is shared read-only.
#[derive(Debug, Clone, Default)]
pub(crate) struct Memo {
    via: Cell<Option<ViaMemo>>,
    from_tag: Cell<Option<Span>>,
    to_tag: Cell<Option<Span>>,
    /// The CSeq number (validation fills it in as it reads the header).
    pub(crate) cseq: Cell<Option<u32>>,
}

impl Message {
    fn span(&self, s: &str) -> Span {
        let at = (s.as_ptr() as usize).wrapping_sub(self.buf.as_ptr() as usize);
        match u16::try_from(at) {
            // An empty slice keeps its place too (the writer measures the
            // Via's end from it); a "" from elsewhere becomes 0..0.
            Ok(at) if usize::from(at) + s.len() <= self.buf.len() => Span(at, at + s.len() as u16),
            _ => Span(0, 0),
        }
    }

    fn opt_span(&self, s: Option<&str>) -> Span {
        s.map_or(NONE, |s| self.span(s))
    }

    fn unspan(&self, s: Span) -> &str {
        self.text(self.slice(s.0, s.1))
    }

    fn opt_unspan(&self, s: Span) -> Option<&str> {
        (s != NONE).then(|| self.unspan(s))
    }

    /// The topmost Via value, parsed once per message.
    pub fn via(&self) -> Result<Via<'_>, ParseError> {
        let v = self.via_memo()?;
        Ok(v.cuts.apply_with(self.slice(v.text.0, v.text.1), |b| self.text(b)))
    }

    /// The top Via's memo, filled on first use.
    #[inline]
    fn via_memo(&self) -> Result<ViaMemo, ParseError> {
        if let Some(v) = self.memo.via.get() {
            return Ok(v);
        }
        let header = self.header(H::Via);
        let (text, cuts, plain) = match header.and_then(|h| via_plain::cuts(h).map(|c| (h, c))) {
            Some((h, c)) => (h, c, true),
            None => {
                let first = self.list(H::Via).next();
                let first = first.ok_or(ParseError::new(ParseErrorKind::MissingHeader("Via"), 0))?;
                (first, ViaCuts::of(first, &Via::parse(first)?), false)
            }
        };
        let v = ViaMemo { text: self.span(text), cuts, plain };
        self.memo.via.set(Some(v));
        Ok(v)
    }

    /// The top Via's branch and sent-by, the parts a transaction key
    /// needs, without building the whole `Via`.
    pub(crate) fn via_branch_and_sent_by(&self) -> Result<(Option<&str>, &str), ParseError> {
        let v = self.via_memo()?;
        let text = self.slice(v.text.0, v.text.1);
        let (branch, sent_by) = v.cuts.branch_and_sent_by(text);
        Ok((branch.map(|b| self.text(b)), self.text(sent_by)))
    }

    /// The top Via's `rport` presence, sent-by port and `maddr`: where a
    /// response goes (RFC 3261 §18.2.2), without building the whole `Via`.
    pub(crate) fn via_reply_parts(&self) -> Result<(bool, Option<u16>, Option<&str>), ParseError> {
        let v = self.via_memo()?;
        let (rport, port, maddr) = v.cuts.reply_parts(self.slice(v.text.0, v.text.1));
        Ok((rport, port, maddr.map(|m| self.text(m))))
    }

    /// A top Via read by the one-pass parser: the value up to its end,
    /// its host, and whether it carries `received` or `rport`. A response
    /// copies such a Via as written when it needs neither filled in.
    pub(crate) fn plain_top_via(&self) -> Option<(&str, &str, bool)> {
        let v = self.via_memo().ok().filter(|v| v.plain)?;
        let (value, host, fill) = v.cuts.plain_parts(self.slice(v.text.0, v.text.1))?;
        Some((self.text(value), self.text(host), fill))
    }

    /// The CSeq number, parsed once (usually already by validation).
    pub fn cseq_number(&self) -> Option<u32> {
        if let Some(n) = self.memo.cseq.get() {
            return Some(n);
        }
        let n = self.cseq().ok()?.seq;
        self.memo.cseq.set(Some(n));
        Some(n)
    }

    /// The From tag (`None` when absent or empty), parsed once.
    pub fn from_tag(&self) -> Result<Option<&str>, ParseError> {
        self.tag(H::From, &self.memo.from_tag)
    }

    /// The To tag (`None` when absent or empty), parsed once.
    pub fn to_tag(&self) -> Result<Option<&str>, ParseError> {
        self.tag(H::To, &self.memo.to_tag)
    }

    fn tag(&self, name: H, memo: &Cell<Option<Span>>) -> Result<Option<&str>, ParseError> {
        if let Some(s) = memo.get() {
            return Ok(self.opt_unspan(s));
        }
        let plain = self.header(name).and_then(super::tag_plain::plain_tag);
        let tag = match plain {
            Some(tag) => tag,
            None if name == H::From => self.from()?.tag(),
            None => self.to()?.tag(),
        };
        memo.set(Some(self.opt_span(tag)));
        Ok(tag)
    }
}
