//! The per-message header index: 8-byte entries (16-bit offsets) kept
//! inline, plus the positions of the headers every message needs.

use smallvec::SmallVec;

use super::header_name::HeaderName;

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
/// and the value (a folded value spans its continuation lines).
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeaderEntry {
    pub(crate) name: HeaderName,
    pub(crate) name_len: u8,
    pub(crate) name_start: u16,
    pub(crate) value_start: u16,
    pub(crate) value_end: u16,
}

/// The header index of one message.
#[derive(Debug, Clone)]
pub(crate) struct HeadIndex {
    pub(crate) headers: SmallVec<[HeaderEntry; INLINE_HEADERS]>,
    /// Index of the first header of each `KNOWN` name, or `ABSENT`.
    pub(crate) known: [u8; KNOWN],
    /// The first single-valued header seen twice (reported by `validate`).
    pub(crate) duplicate: Option<(HeaderName, u16)>,
}

impl Default for HeadIndex {
    fn default() -> Self {
        HeadIndex { headers: SmallVec::new(), known: [ABSENT; KNOWN], duplicate: None }
    }
}
