//! Values several layers read from one message (the top Via, the From and
//! To tags, the CSeq number), parsed on first use and remembered as spans
//! of the buffer: the transaction key, the reply address, the response
//! writer and dialog matching share one parse.

use std::cell::Cell;

use super::Message;
use crate::sip::error::{ParseError, ParseErrorKind};
use crate::sip::header::HeaderName as H;
use crate::sip::header::via::{self, Via, ViaCuts};
use crate::sip::span::Span;

/// The top Via: the text it was read from and where its parts lie in it.
#[derive(Debug, Clone, Copy)]
pub(super) struct TopVia {
    pub(super) text: Span,
    pub(super) cuts: ViaCuts,
    /// The one-pass parser read it (see `Message::plain_top_via`).
    pub(super) plain: bool,
}

/// The per-message memo; `Cell`s because the message is shared read-only.
#[derive(Debug, Clone, Default)]
pub(crate) struct Memo {
    via: Cell<Option<TopVia>>,
    /// `Some(Span::NONE)` once read and found absent.
    from_tag: Cell<Option<Span>>,
    to_tag: Cell<Option<Span>>,
    /// The CSeq number (validation fills it in as it reads the header).
    pub(crate) cseq: Cell<Option<u32>>,
}

impl Memo {
    /// The top Via of `msg` (whose memo this is), read on first use.
    #[inline]
    pub(super) fn top_via(&self, msg: &Message) -> Result<TopVia, ParseError> {
        if let Some(v) = self.via.get() {
            return Ok(v);
        }
        let header = msg.header(H::Via);
        let (text, cuts, plain) = match header.and_then(|h| via::plain::cuts(h).map(|c| (h, c))) {
            Some((h, c)) => (h, c, true),
            None => {
                let first = msg.list(H::Via).next();
                let first = first.ok_or(ParseError::new(ParseErrorKind::MissingHeader("Via"), 0))?;
                (first, ViaCuts::of(first, &Via::parse(first)?), false)
            }
        };
        let v = TopVia { text: Span::within(&msg.buf, text.as_bytes()), cuts, plain };
        self.via.set(Some(v));
        Ok(v)
    }

    /// The CSeq number of `msg`, read on first use.
    pub(super) fn cseq_number(&self, msg: &Message) -> Option<u32> {
        if let Some(n) = self.cseq.get() {
            return Some(n);
        }
        let n = msg.cseq().ok()?.seq;
        self.cseq.set(Some(n));
        Some(n)
    }

    /// The From or To tag of `msg` (`None` when absent or empty), read on
    /// first use: by the one-pass reader when the value has the usual
    /// shape, else by the general name-addr parse.
    pub(super) fn tag<'m>(&self, msg: &'m Message, name: H) -> Result<Option<&'m str>, ParseError> {
        let memo = if name == H::From { &self.from_tag } else { &self.to_tag };
        if let Some(s) = memo.get() {
            return Ok(s.get(&msg.buf).map(|b| msg.text(b)));
        }
        let plain = msg.header(name).and_then(crate::sip::header::tag::plain_tag);
        let tag = match plain {
            Some(tag) => tag,
            None if name == H::From => msg.from()?.tag(),
            None => msg.to()?.tag(),
        };
        memo.set(Some(tag.map_or(Span::NONE, |t| Span::within(&msg.buf, t.as_bytes()))));
        Ok(tag)
    }
}
