//! The per-message header index: 8-byte entries (16-bit offsets) kept
//! inline, plus the positions of the headers every message needs.

use crate::sip::header::HeaderName;
use crate::sip::span::Span;

/// Inline header slots before the index spills to the heap; a SIPp INVITE
/// has about a dozen headers.
pub(crate) const INLINE_HEADERS: usize = 16;

/// Messages are at most 64 KiB (the UDP ceiling), so 16-bit offsets keep
/// the index entry at 8 bytes and the whole `Message` small to move.
pub const MAX_MESSAGE_SIZE: usize = u16::MAX as usize;

/// Headers whose first occurrence is remembered at parse time: the
/// variants of `HeaderName` declared first, Via through Content-Type.
pub(crate) const KNOWN: usize = 9;
pub(crate) const ABSENT: u8 = u8::MAX;

/// One header line: its classified name and the byte ranges of the raw name
/// and the value (a folded value spans its continuation lines). The name
/// is a start and a length so that the entry stays 8 bytes; `repr(C)`
/// keeps the fields in the order the indexer fills them.
#[derive(Debug, Clone, Copy)]
#[repr(C)]
pub(crate) struct HeaderEntry {
    pub(crate) name_start: u16,
    /// The value untrimmed: it keeps its leading blanks and the CR before
    /// the line's LF, which every reader trims.
    pub(crate) value: Span,
    pub(crate) name_len: u8,
    pub(crate) name: HeaderName,
}

impl HeaderEntry {
    /// Where the raw name lies.
    #[inline]
    pub(crate) fn name_span(&self) -> Span {
        Span { start: self.name_start, end: self.name_start + u16::from(self.name_len) }
    }

    /// The value trimmed, and where it starts in `b` (error offsets point
    /// there; the index keeps the untrimmed start): one trim for both.
    pub(crate) fn trimmed<'b>(&self, b: &'b [u8]) -> (usize, &'b [u8]) {
        let raw = self.value.of(b);
        let value = crate::sip::lex::trim(raw);
        let skipped = (value.as_ptr() as usize).wrapping_sub(raw.as_ptr() as usize);
        (usize::from(self.value.start) + skipped, value)
    }
}

impl Default for HeaderEntry {
    fn default() -> Self {
        HeaderEntry { name: HeaderName::Other, name_len: 0, name_start: 0, value: Span::default() }
    }
}

/// The header index of one message.
#[derive(Debug, Clone)]
pub(crate) struct HeadIndex {
    pub(crate) headers: HeaderList,
    /// Index of the first header of each `KNOWN` name, or `ABSENT`.
    pub(crate) known: [u8; KNOWN],
    /// The first single-valued header seen twice (reported by `validate`).
    pub(crate) duplicate: Option<(HeaderName, u16)>,
}

impl Default for HeadIndex {
    fn default() -> Self {
        HeadIndex { headers: HeaderList::default(), known: [ABSENT; KNOWN], duplicate: None }
    }
}

impl HeadIndex {
    /// The first header line with this name: remembered for the `KNOWN`
    /// names, searched for the others.
    #[inline]
    pub(crate) fn first(&self, name: HeaderName) -> Option<&HeaderEntry> {
        match self.known.get(name as usize) {
            Some(&i) => self.headers.get(usize::from(i)),
            _ => self.headers.iter().find(|h| h.name == name),
        }
    }
}

/// Most headers a message may have: `known` holds positions as `u8`, and
/// `ABSENT` is not one (the indexer caps the count below it).
const MAX_HEADERS: usize = ABSENT as usize;

/// The header lines in order: inline while they fit, then all of them in
/// a heap vector that grows with the message (up to the most a message
/// may hold). The length lives outside both, so the indexer's push is one
/// compare and the entry's stores.
#[derive(Debug, Clone, Default)]
pub(crate) struct HeaderList {
    len: usize,
    inline: [HeaderEntry; INLINE_HEADERS],
    /// Every entry once there are more than `INLINE_HEADERS`.
    spilled: Vec<HeaderEntry>,
}

impl HeaderList {
    /// Appends an entry; past `MAX_HEADERS` (which the indexer never
    /// reaches) the entry is dropped rather than panicking.
    #[inline]
    pub(crate) fn push(&mut self, entry: HeaderEntry) {
        let slot = match self.inline.get_mut(self.len) {
            Some(slot) => slot,
            None => match self.spill_slot() {
                Some(slot) => slot,
                None => return,
            },
        };
        // Field by field into the slot (span halves included), so that
        // each field is one store rather than a packed whole.
        slot.name = entry.name;
        slot.name_len = entry.name_len;
        slot.name_start = entry.name_start;
        slot.value.start = entry.value.start;
        slot.value.end = entry.value.end;
        self.len += 1;
    }

    /// How many entries (the slice's length, without asking where it is).
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The next slot past the inline ones. Room for twice the inline count
    /// first: a carrier INVITE with 20 to 30 headers allocates once.
    #[cold]
    fn spill_slot(&mut self) -> Option<&mut HeaderEntry> {
        if self.len >= MAX_HEADERS {
            return None;
        }
        if self.spilled.is_empty() {
            self.spilled.reserve_exact(2 * INLINE_HEADERS);
            self.spilled.extend_from_slice(&self.inline);
        }
        self.spilled.push(HeaderEntry::default());
        self.spilled.last_mut()
    }
}

impl std::ops::Deref for HeaderList {
    type Target = [HeaderEntry];

    #[inline]
    fn deref(&self) -> &[HeaderEntry] {
        match self.inline.get(..self.len) {
            Some(inline) => inline,
            None => &self.spilled,
        }
    }
}

impl std::ops::DerefMut for HeaderList {
    #[inline]
    fn deref_mut(&mut self) -> &mut [HeaderEntry] {
        match self.inline.get_mut(..self.len) {
            Some(inline) => inline,
            None => &mut self.spilled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries read back in order across the move to the heap, up to the
    /// cap, and a push past the cap changes nothing.
    #[test]
    fn entries_survive_the_spill_and_the_cap_holds() {
        let entry = |i: usize| HeaderEntry { name_start: i as u16, ..HeaderEntry::default() };
        let mut list = HeaderList::default();
        for i in 0..MAX_HEADERS + 3 {
            list.push(entry(i));
            let want = (i + 1).min(MAX_HEADERS);
            assert_eq!(list.len(), want);
            assert!(list.iter().enumerate().all(|(j, e)| usize::from(e.name_start) == j), "after {i}");
        }
        list.last_mut().unwrap().value.end = 7;
        assert_eq!(list[MAX_HEADERS - 1].value.end, 7);
        assert_eq!(list.clone().len(), MAX_HEADERS);
    }
}
