//! The header lines of a message, by position and by name, as written:
//! the raw access the typed views are built on.

use super::{HeaderEntry, Message};
use crate::sip::header::HeaderName;
use crate::sip::lex;
use crate::sip::lex::Split;

/// A header as found in the message: classified name, raw name, raw value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    /// Classified name (`Other` for names this engine does not know).
    pub name: HeaderName,
    /// The name as written (compact or long, any case).
    pub raw_name: &'a str,
    /// The value, trimmed; folded lines keep their CRLF + whitespace.
    pub value: &'a str,
}

impl Message {
    /// Every header line in order.
    pub fn headers(&self) -> impl Iterator<Item = Header<'_>> {
        self.index.headers.iter().map(|h| Header {
            name: h.name,
            raw_name: self.text(self.slice(h.name_span())),
            value: self.value(h),
        })
    }

    /// How many header lines the message has.
    pub fn header_count(&self) -> usize {
        self.index.headers.len()
    }

    #[inline]
    pub(crate) fn value(&self, h: &HeaderEntry) -> &str {
        self.text(lex::trim(self.slice(h.value)))
    }

    /// The first header entry with this name.
    #[inline]
    pub(crate) fn first(&self, name: HeaderName) -> Option<&HeaderEntry> {
        self.index.first(name)
    }

    /// Values of every header with this name (any form), unsplit.
    pub fn header_values(&self, name: HeaderName) -> impl Iterator<Item = &str> {
        self.index.headers.iter().filter(move |h| h.name == name).map(|h| self.value(h))
    }

    /// The first value of a header, unsplit.
    pub fn header(&self, name: HeaderName) -> Option<&str> {
        self.first(name).map(|h| self.value(h))
    }

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
            let v = self.text(self.slice(h.value));
            if split { Split::new(v, b',') } else { Split::whole(v) }
        })
    }
}
