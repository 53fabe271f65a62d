//! Short tokens (tags, branches) built on the stack: no allocation per call.

/// Lower-case base-32 digits: token characters (RFC 3261 §25.1) that read
/// the same in any case.
const DIGITS: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// A short ASCII token on the stack.
#[derive(Clone, Copy)]
pub(crate) struct Token {
    buf: [u8; 40],
    len: usize,
}

impl Token {
    /// `bytes` (at most 24) in base 32, five bits a character.
    pub(crate) fn base32(bytes: &[u8]) -> Token {
        let mut t = Token { buf: [0; 40], len: 0 };
        let (mut acc, mut bits) = (0u32, 0u32);
        for &b in bytes.iter().take(24) {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                t.push(DIGITS[((acc >> bits) & 31) as usize]);
            }
        }
        if bits > 0 {
            t.push(DIGITS[((acc << (5 - bits)) & 31) as usize]);
        }
        t
    }

    /// Copies a short string (our own tags); longer input is cut at a
    /// character boundary, which cannot happen for tokens this shard
    /// minted.
    pub(crate) fn copy_of(s: &str) -> Token {
        let mut t = Token { buf: [0; 40], len: 0 };
        let mut n = s.len().min(40);
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        t.buf[..n].copy_from_slice(&s.as_bytes()[..n]);
        t.len = n;
        t
    }

    fn push(&mut self, c: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = c;
            self.len += 1;
        }
    }
}

impl std::ops::Deref for Token {
    type Target = str;
    fn deref(&self) -> &str {
        // SAFETY: `buf[..len]` holds base-32 digits (ASCII) or a prefix of
        // a `&str` cut at a character boundary (`copy_of`): valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(&self.buf[..self.len]) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Five bits a character, most significant first, the last padded.
    #[test]
    fn base32_digits() {
        assert_eq!(&*Token::base32(&[0; 8]), "aaaaaaaaaaaaa");
        assert_eq!(&*Token::base32(&[0xff; 8]), "7777777777776");
        assert_eq!(&*Token::base32(&[0b0000_1000, 0b0100_0000]), "bbaa");
        assert_eq!(Token::base32(&[7; 16]).len(), 26);
        let long = "é".repeat(30);
        assert_eq!(&*Token::copy_of(&long), "é".repeat(20), "cut at a character boundary");
    }
}
