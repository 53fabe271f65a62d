//! Short tokens (tags, branches) built on the stack: no allocation per call.

/// A short ASCII token on the stack.
#[derive(Clone, Copy)]
pub(crate) struct Token {
    buf: [u8; 40],
    len: usize,
}

impl Token {
    /// `<shard>x<n>` in hex: unique per shard, and across shards.
    pub(crate) fn id(shard: u16, n: u64) -> Token {
        let mut t = Token { buf: [0; 40], len: 0 };
        t.push_hex(u64::from(shard));
        t.buf[t.len] = b'x';
        t.len += 1;
        t.push_hex(n);
        t
    }

    /// Copies a short string (our own tags); longer input is cut, which
    /// cannot happen for tokens this shard minted.
    pub(crate) fn copy_of(s: &str) -> Token {
        let mut t = Token { buf: [0; 40], len: 0 };
        let b = s.as_bytes();
        let n = b.len().min(40);
        t.buf[..n].copy_from_slice(&b[..n]);
        t.len = n;
        t
    }

    fn push_hex(&mut self, n: u64) {
        let digits = (64 - n.leading_zeros()).div_ceil(4).max(1) as usize;
        for i in (0..digits).rev() {
            self.buf[self.len] = b"0123456789abcdef"[((n >> (4 * i)) & 0xf) as usize];
            self.len += 1;
        }
    }
}

impl std::ops::Deref for Token {
    type Target = str;
    fn deref(&self) -> &str {
        // Hex digits, 'x' or a copy of a whole &str (cut only at 40 bytes,
        // beyond any tag we mint).
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}
