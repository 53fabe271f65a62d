//! Searching the short values of SIP and SDP for one byte.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of every zero byte of `x`, exactly (no false hits).
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    !(((x & !HIGH) + !HIGH) | x) & HIGH
}

/// First `c` in `s`, 8 bytes per step on the few dozen bytes of a SIP or
/// SDP value; memchr for 64 bytes and more, where its setup pays off.
#[inline]
pub(crate) fn find_byte(s: &[u8], c: u8) -> Option<usize> {
    if s.len() >= 64 {
        return memchr::memchr(c, s);
    }
    find_word(s, |w| zero_bytes(w ^ (ONES * u64::from(c))), |b| b == c)
}

/// First blank (SP or HT) in `s`: the field separator of SDP lines.
#[inline]
pub(crate) fn find_blank(s: &[u8]) -> Option<usize> {
    if s.len() >= 64 {
        return memchr::memchr2(b' ', b'\t', s);
    }
    find_word(
        s,
        |w| zero_bytes(w ^ (ONES * 0x20)) | zero_bytes(w ^ (ONES * 0x09)),
        |b| b == b' ' || b == b'\t',
    )
}

/// The word-at-a-time search under both: `hits` marks matching bytes of a
/// little-endian word by their high bit, `is` tests one byte.
#[inline(always)]
fn find_word(s: &[u8], hits: impl Fn(u64) -> u64, is: impl Fn(u8) -> bool) -> Option<usize> {
    let hit = |w: &[u8]| {
        let h = hits(super::load_word(w));
        (h != 0).then(|| (h.trailing_zeros() / 8) as usize)
    };
    let n = s.len();
    if n < 8 {
        return s.iter().position(|&b| is(b));
    }
    let mut i = 0;
    while i + 8 <= n {
        if let Some(k) = hit(&s[i..i + 8]) {
            return Some(i + k);
        }
        i += 8;
    }
    // The last word overlaps bytes already searched, which held no hit.
    (i < n).then(|| hit(&s[n - 8..]).map(|k| n - 8 + k)).flatten()
}

#[cfg(test)]
mod tests {
    /// `find_byte` and `find_blank` agree with a plain scan at every length
    /// and position, for NUL and 0x80 needles too (the SWAR test's edge cases).
    #[test]
    fn find_byte_matches_position() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in 0..140 {
            for _ in 0..200 {
                let alphabet = [0u8, b';', b'x', 0x80, 0xff, 0x7f, b' ', b'\t', 0x29];
                let hay = crate::sip::mutate::random_bytes(&mut seed, len, &alphabet);
                for c in [0u8, b';', 0x80, 0xff, b'y'] {
                    assert_eq!(super::find_byte(&hay, c), hay.iter().position(|&h| h == c), "{hay:?} {c}");
                }
                let blank = hay.iter().position(|&h| h == b' ' || h == b'\t');
                assert_eq!(super::find_blank(&hay), blank, "{hay:?}");
            }
        }
    }
}
