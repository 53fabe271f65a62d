//! Fast classification of raw header names, built from the table in
//! `name.rs`. Compact forms by a match; long names by a collision-free
//! hash of (length, first, last letter) into a 128-slot table, then one
//! 8-bytes-at-a-time comparison.

use super::name::{HeaderName, LONG_NAMES};

/// Classifies a raw header name, long or compact, any case.
#[inline]
pub(crate) fn classify(name: &[u8]) -> HeaderName {
    classify_prefix(name, name.len())
}

/// Classifies the first `len` bytes of `tail`; the bytes after the name
/// (the rest of the message) let the comparison load whole words.
#[inline(always)]
pub(crate) fn classify_prefix(tail: &[u8], len: usize) -> HeaderName {
    let (Some(&first), Some(&last)) = (tail.first(), tail.get(len.wrapping_sub(1))) else {
        return HeaderName::Other;
    };
    if len == 1 {
        return HeaderName::from_compact(first);
    }
    let slot = &TABLE[slot_of(len, first | 0x20, last | 0x20)];
    if slot.key.len == len && eq_ci(tail, len, &slot.key) { slot.name } else { HeaderName::Other }
}

/// The hash: collision-free over the known names (the table build asserts
/// it at compile time).
const fn slot_of(len: usize, first: u8, last: u8) -> usize {
    (len.wrapping_mul(53).wrapping_add(first as usize * 41).wrapping_add(last as usize)) & 127
}

/// One table entry: a cache line, found by a shift.
#[derive(Clone, Copy)]
#[repr(align(64))]
struct Slot {
    key: Key,
    name: HeaderName,
}

static TABLE: [Slot; 128] = {
    let empty = Slot { key: Key { len: 0, words: [0; 3], masks: [0; 3] }, name: HeaderName::Other };
    let mut t = [empty; 128];
    let mut i = 0;
    while i < LONG_NAMES.len() {
        let b = LONG_NAMES[i].0.as_bytes();
        let at = slot_of(b.len(), b[0] | 0x20, b[b.len() - 1] | 0x20);
        assert!(t[at].key.len == 0, "header name hash collision");
        t[at] = Slot { key: key(LONG_NAMES[i].0), name: LONG_NAMES[i].1 };
        i += 1;
    }
    t
};

/// Bit 0x20 of every byte: set in lower-case letters and in '-'.
const FOLD: u64 = 0x2020_2020_2020_2020;

/// A known name prepared at compile time: its bytes in lower case, in
/// 8-byte words, and which bytes belong to it.
#[derive(Clone, Copy)]
struct Key {
    len: usize,
    words: [u64; 3],
    /// 0xff for the bytes of the name, so bytes past it are ignored.
    masks: [u64; 3],
}

const fn key(name: &str) -> Key {
    let b = name.as_bytes();
    let mut k = Key { len: b.len(), words: [0; 3], masks: [0; 3] };
    assert!(b.len() <= 24, "known names fit in three words");
    let mut i = 0;
    while i < b.len() {
        // Setting bit 0x20 must only fold case: letters and '-' qualify.
        assert!(b[i].is_ascii_alphabetic() || b[i] == b'-', "known names are letters and '-'");
        k.masks[i / 8] |= 0xff << (8 * (i % 8));
        k.words[i / 8] |= ((b[i] | 0x20) as u64) << (8 * (i % 8));
        i += 1;
    }
    k
}

/// Case-insensitive equality of `tail[..len]`, 8 bytes per step: bit 0x20
/// is set in every input byte, which maps [A-Z] to [a-z] and leaves '-'
/// alone; the only other byte it could turn into '-' is CR, which never
/// sits inside a header line that passes the head check. A match also
/// proves the raw name is a valid token. Bytes past `len` are masked off.
#[inline(always)]
fn eq_ci(tail: &[u8], len: usize, k: &Key) -> bool {
    // The usual case, a name with the rest of the message after it: three
    // unconditional words, no loop.
    if let Some(w) = tail.get(..24) {
        let word = |i: usize| crate::sip::lex::load_word(&w[8 * i..8 * i + 8]) | FOLD;
        let diff = ((word(0) & k.masks[0]) ^ k.words[0])
            | ((word(1) & k.masks[1]) ^ k.words[1])
            | ((word(2) & k.masks[2]) ^ k.words[2]);
        return diff == 0;
    }
    let mut i = 0;
    while i * 8 < len {
        let word = match tail.get(i * 8..i * 8 + 8) {
            Some(w) => crate::sip::lex::load_word(w),
            None => crate::sip::lex::load_word(tail.get(i * 8..len).unwrap_or(&[])),
        };
        if (word | FOLD) & k.masks[i] != k.words[i] {
            return false;
        }
        i += 1;
    }
    true
}
