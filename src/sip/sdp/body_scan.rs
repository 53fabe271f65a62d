//! One word-at-a-time pass over an SDP body before it is split into lines:
//! is it ASCII (then it needs no UTF-8 check) and is it clean (no control
//! byte but HT, and every CR followed by LF: then lines need no own check).

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// What the pass found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BodyScan {
    /// Every byte is below 0x80.
    pub ascii: bool,
    /// No control byte but HT, CR and LF, no DEL, no CR without an LF after it.
    pub clean: bool,
}

/// The high bit of every byte of `w` equal to `c`, exactly.
#[inline(always)]
fn equal(w: u64, c: u8) -> u64 {
    let x = w ^ (ONES * u64::from(c));
    !(((x & !HIGH) + !HIGH) | x) & HIGH
}

pub(super) fn scan_body(b: &[u8]) -> BodyScan {
    let (mut high, mut bad, mut carry_cr) = (0u64, 0u64, 0u64);
    let mut step = |w: u64| {
        high |= w;
        // No borrow crosses bytes: each (byte | 0x80) is at least 0x20.
        let below_20 = !((w | HIGH).wrapping_sub(ONES * 0x20)) & !w & HIGH;
        let (cr, lf) = (equal(w, b'\r'), equal(w, b'\n'));
        bad |= (below_20 & !(cr | lf | equal(w, b'\t'))) | equal(w, 0x7f);
        // Each CR's next byte must be an LF, across word edges too.
        bad |= ((cr << 8) | carry_cr) & !lf;
        carry_cr = cr >> 56;
    };
    let words = b.chunks_exact(8);
    let tail = words.remainder();
    for w in words {
        step(crate::sip::lex::load_word(w));
    }
    if !tail.is_empty() {
        // The short last word is padded with blanks: harmless, and a CR
        // just before them is bare, as it is at the end of the body.
        let mut word = [b' '; 8];
        for (d, &c) in word.iter_mut().zip(tail) {
            *d = c;
        }
        step(u64::from_le_bytes(word));
    }
    BodyScan { ascii: high & HIGH == 0, clean: bad | carry_cr == 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytewise definition the word pass must agree with.
    fn reference(b: &[u8]) -> BodyScan {
        let ctrl = b.iter().any(|&c| (c < 0x20 && !matches!(c, b'\t' | b'\r' | b'\n')) || c == 0x7f);
        let bare_cr = b.iter().enumerate().any(|(i, &c)| c == b'\r' && b.get(i + 1) != Some(&b'\n'));
        BodyScan { ascii: b.is_ascii(), clean: !ctrl && !bare_cr }
    }

    /// Random bodies of every length up to 40 from an alphabet rich in the
    /// edge bytes (CR, LF, HT, NUL, DEL, 0x1f, 0x20, 0x80, 0xff).
    #[test]
    fn agrees_with_the_bytewise_definition() {
        let alphabet = [b'a', b'=', b' ', b'\r', b'\n', b'\t', 0, 0x7f, 0x1f, 0x80, 0xff, b'\r', b'\n'];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..40 {
            for _ in 0..400 {
                let body = crate::sip::mutate::random_bytes(&mut seed, len, &alphabet);
                assert_eq!(scan_body(&body), reference(&body), "{body:?}");
            }
        }
        let sdp = b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n";
        assert_eq!(scan_body(sdp), BodyScan { ascii: true, clean: true });
    }
}
