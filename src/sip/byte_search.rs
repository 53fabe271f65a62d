//! Searching the short values of SIP and SDP for one byte.

/// First `c` in `s`, 8 bytes per step: on the few dozen bytes of a SIP
/// or SDP value, memchr's setup costs more than the search itself.
#[inline]
pub(crate) fn find_byte(s: &[u8], c: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Exact zero-byte test: the high bit is set only for bytes equal to `c`.
    let hit = |w: &[u8]| {
        let x = super::lex::load_word(w) ^ (ONES * u64::from(c));
        let hits = !(((x & !HIGH) + !HIGH) | x) & HIGH;
        (hits != 0).then(|| (hits.trailing_zeros() / 8) as usize)
    };
    let n = s.len();
    if n >= 64 {
        return memchr::memchr(c, s);
    }
    if n < 8 {
        return s.iter().position(|&b| b == c);
    }
    let mut i = 0;
    while i + 8 <= n {
        if let Some(k) = hit(&s[i..i + 8]) {
            return Some(i + k);
        }
        i += 8;
    }
    // The last word overlaps bytes already searched, which held no `c`.
    (i < n).then(|| hit(&s[n - 8..]).map(|k| n - 8 + k)).flatten()
}

#[cfg(test)]
mod tests {
    /// `find_byte` agrees with a plain scan at every length and position,
    /// for NUL and 0x80 needles too (the SWAR test's edge cases).
    #[test]
    fn find_byte_matches_position() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in 0..140 {
            for _ in 0..200 {
                let hay: Vec<u8> = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        [0u8, b';', b'x', 0x80, 0xff, 0x7f][(seed % 6) as usize]
                    })
                    .collect();
                for c in [0u8, b';', 0x80, 0xff, b'y'] {
                    assert_eq!(super::find_byte(&hay, c), hay.iter().position(|&h| h == c), "{hay:?} {c}");
                }
            }
        }
    }
}
