//! `Span`: where a piece of text lies in the buffer it was read from, in
//! 16 bits (a message is at most 64 KiB): a header value in the message,
//! a part of a Via value, a remembered tag.

/// The byte range `start..end` of a buffer. [`Span::NONE`] marks an
/// optional part that is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub(crate) start: u16,
    pub(crate) end: u16,
}

impl Span {
    /// An absent optional part (no real range starts at `u16::MAX`).
    pub(crate) const NONE: Span = Span { start: u16::MAX, end: u16::MAX };

    /// `start..end`; both are below 64 KiB where this is used.
    #[inline]
    pub(crate) fn new(start: usize, end: usize) -> Span {
        Span { start: start as u16, end: end as u16 }
    }

    /// Where `part` lies within `whole`; `0..0` for a slice from
    /// elsewhere. An empty `part` keeps its place (a writer measures where
    /// a value ends from it).
    #[inline]
    pub(crate) fn within(whole: &[u8], part: &[u8]) -> Span {
        let at = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
        match u16::try_from(at.saturating_add(part.len())) {
            Ok(end) if usize::from(end) <= whole.len() => Span::new(at, usize::from(end)),
            _ => Span::default(),
        }
    }

    /// Whether this marks an absent part.
    #[inline]
    pub(crate) fn is_none(self) -> bool {
        self == Span::NONE
    }

    /// The bytes of `buf` this span covers (empty when out of range).
    #[inline]
    pub(crate) fn of(self, buf: &[u8]) -> &[u8] {
        buf.get(usize::from(self.start)..usize::from(self.end)).unwrap_or(&[])
    }

    /// `of`, or `None` for an absent part.
    #[inline]
    pub(crate) fn get(self, buf: &[u8]) -> Option<&[u8]> {
        (!self.is_none()).then(|| self.of(buf))
    }

    /// Whether the span is empty.
    #[inline]
    pub(crate) fn is_empty(self) -> bool {
        self.start == self.end
    }
}
