//! A Via value remembered as spans of the text it was read from: what a
//! message keeps of its top Via instead of re-parsing it, and what the
//! one-pass parser (`plain`) produces directly.

use super::{KnownParams, Via};
use crate::sip::span::Span;

/// Where the parts of one Via value lie in the text it was read from;
/// `Span::NONE` for an absent parameter. Values longer than 64 KiB never
/// reach here (the message cap).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ViaCuts {
    pub(super) protocol: Span,
    pub(super) version: Span,
    pub(super) transport: Span,
    pub(super) host: Span,
    pub(super) sent_by: Span,
    pub(super) params: Span,
    pub(super) port: Option<u16>,
    /// `branch`, `received`, `rport`, `maddr`.
    pub(super) known: [Span; 4],
}

impl ViaCuts {
    /// The cuts of `via`, a Via parsed from `text` (the general parser's
    /// result); a slice from elsewhere becomes empty.
    pub(crate) fn of(text: &str, via: &Via<'_>) -> ViaCuts {
        let at = |s: &str| Span::within(text.as_bytes(), s.as_bytes());
        let k = &via.known;
        ViaCuts {
            protocol: at(via.protocol),
            version: at(via.version),
            transport: at(via.transport),
            host: at(via.host),
            sent_by: at(via.sent_by),
            params: at(via.params),
            port: via.port,
            known: [k.branch, k.received, k.rport, k.maddr].map(|p| p.map_or(Span::NONE, at)),
        }
    }

    /// The Via these cuts describe in `text`.
    pub(crate) fn apply<'a>(&self, text: &'a str) -> Via<'a> {
        // Every cut is at an ASCII byte or the end, so each piece is UTF-8.
        self.apply_with(text.as_bytes(), |b| std::str::from_utf8(b).unwrap_or(""))
    }

    /// The Via these cuts describe in `text`, each piece made a `&str` by
    /// `text_of` (a message's own conversion skips the UTF-8 check when
    /// its head is ASCII).
    #[inline]
    pub(crate) fn apply_with<'a>(&self, text: &'a [u8], text_of: impl Fn(&'a [u8]) -> &'a str) -> Via<'a> {
        let get = |c: Span| text_of(c.of(text));
        let [branch, received, rport, maddr] = self.known.map(|c| c.get(text).map(&text_of));
        Via {
            protocol: get(self.protocol),
            version: get(self.version),
            transport: get(self.transport),
            host: get(self.host),
            port: self.port,
            sent_by: get(self.sent_by),
            params: get(self.params),
            known: KnownParams { branch, received, rport, maddr },
        }
    }

    /// The branch (when present) and the sent-by in `text`.
    pub(crate) fn branch_and_sent_by<'a>(&self, text: &'a [u8]) -> (Option<&'a [u8]>, &'a [u8]) {
        (self.known[0].get(text), self.sent_by.of(text))
    }

    /// The value up to its last part and the host, in `text`, and whether
    /// it carries `received` or `rport` (which a response fills in anew).
    pub(crate) fn plain_parts<'a>(&self, text: &'a [u8]) -> Option<(&'a [u8], &'a [u8], bool)> {
        let [_, received, rport, _] = self.known;
        let last = if self.params.is_empty() { self.sent_by } else { self.params };
        let value = text.get(..usize::from(last.end))?;
        let host = text.get(usize::from(self.host.start)..usize::from(self.host.end))?;
        Some((value, host, !received.is_none() || !rport.is_none()))
    }

    /// What says where a response goes: whether `rport` is present, the
    /// sent-by port, and `maddr` (when present) in `text`.
    pub(crate) fn reply_parts<'a>(&self, text: &'a [u8]) -> (bool, Option<u16>, Option<&'a [u8]>) {
        let [_, _, rport, maddr] = self.known;
        (!rport.is_none(), self.port, maddr.get(text))
    }

    /// Where the value these cuts describe ends (its last part's end).
    pub(crate) fn end(&self) -> usize {
        usize::from(self.params.end)
    }
}
