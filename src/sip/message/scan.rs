//! Stage-one scan of the message head, 64 bytes at a time: where the line
//! ends and colons are, and whether any byte is a control character or
//! non-ASCII.
//! One vector pass finds all three (SIMD-JSON style), rather than a
//! search per line and a second pass for the byte checks; SSE2 is
//! x86_64's baseline.

use super::scan_block::{Block, scan_block};

/// Walks line ends of a buffer while recording suspect bytes.
pub(crate) struct LineScanner<'a> {
    buf: &'a [u8],
    base: usize,
    block: Block,
    /// Newlines of the block not yet returned: each line end is one
    /// trailing-zero count and one bit clear, with no position arithmetic.
    pending: u64,
    /// Colons of the block before `base`: a header name may start there.
    prev_colon: u64,
    /// Any suspect byte in blocks already left behind.
    suspect_seen: bool,
}

impl<'a> LineScanner<'a> {
    /// A scanner for `buf` from `from` (blocks are aligned to it). Call
    /// `begin` once it sits where it will be used, so the first block is
    /// scanned into place rather than moved there.
    #[inline(always)]
    pub(crate) fn new(buf: &'a [u8], from: usize) -> Self {
        LineScanner {
            buf,
            base: from,
            block: Block::default(),
            pending: 0,
            prev_colon: 0,
            suspect_seen: false,
        }
    }

    /// Scans the first block in place.
    #[inline(always)]
    pub(crate) fn begin(&mut self) {
        scan_block(self.buf, self.base, &mut self.block);
        self.pending = self.block.newline;
    }

    /// The next LF: the first one at or after `from`, then each one after
    /// the last returned.
    #[inline(always)]
    pub(crate) fn next_newline(&mut self) -> Option<usize> {
        while self.pending == 0 {
            self.advance()?;
        }
        let nl = self.base + self.pending.trailing_zeros() as usize;
        self.pending &= self.pending - 1;
        Some(nl)
    }

    /// Moves to the next block; `None` past the end of the buffer.
    #[inline]
    fn advance(&mut self) -> Option<()> {
        self.base += 64;
        if self.base >= self.buf.len() {
            return None;
        }
        self.suspect_seen |= self.block.suspect != 0;
        self.prev_colon = self.block.colon;
        scan_block(self.buf, self.base, &mut self.block);
        self.pending = self.block.newline;
        Some(())
    }

    /// The first ':' in `pos..end`, where `end` is the line end that
    /// `next_newline` just found; lines that began more than a block back
    /// fall back to a word-at-a-time search.
    #[inline]
    pub(crate) fn first_colon(&self, pos: usize, end: usize) -> Option<usize> {
        let at = if pos >= self.base {
            let m = self.block.colon & (u64::MAX << (pos - self.base));
            self.base + m.trailing_zeros() as usize
        } else if pos + 64 > self.base {
            let prev = self.prev_colon & (u64::MAX << (pos + 64 - self.base));
            if prev != 0 {
                self.base - 64 + prev.trailing_zeros() as usize
            } else {
                self.base + self.block.colon.trailing_zeros() as usize
            }
        } else {
            return crate::sip::lex::find_byte(&self.buf[pos..end.min(self.buf.len())], b':')
                .map(|c| pos + c);
        };
        (at < end).then_some(at)
    }

    /// Whether any suspect byte lies before `end` (within scanned blocks).
    pub(crate) fn suspect_before(&self, end: usize) -> bool {
        let rel = end.saturating_sub(self.base).min(64);
        let mask = if rel == 64 { u64::MAX } else { (1u64 << rel) - 1 };
        self.suspect_seen || self.block.suspect & mask != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line ends, colons and suspect bytes agree with a byte-by-byte
    /// reference on random buffers that span several windows, including
    /// lines across block and window boundaries and CRLFs split by them.
    #[test]
    fn walk_matches_a_byte_by_byte_reference() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut rand = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for round in 0..3_000 {
            // Lines of 0..200 bytes: colons at random places, CRLF or LF
            // ends, and now and then one suspect byte (NUL, 0x80, bare CR, HT).
            let mut buf = Vec::new();
            while buf.len() < 1 + round % 1_400 {
                let start = buf.len();
                buf.resize(start + rand(200) as usize, b'x');
                for _ in 0..rand(3) {
                    let at = start + rand(buf.len() as u64 - start as u64 + 1) as usize;
                    if at < buf.len() {
                        buf[at] = b':';
                    }
                }
                if rand(30) == 0 && buf.len() > start {
                    let at = start + rand((buf.len() - start) as u64) as usize;
                    buf[at] = [0, 0x80, b'\r', b'\t'][rand(4) as usize];
                }
                buf.extend_from_slice(if rand(5) == 0 { b"\n" } else { b"\r\n" });
            }
            let len = buf.len();
            let from = (round % 3).min(len - 1);
            let mut lines = LineScanner::new(&buf, from);
            lines.begin();
            let mut pos = from;
            loop {
                let want = buf[pos..].iter().position(|&c| c == b'\n').map(|i| pos + i);
                let got = lines.next_newline();
                assert_eq!(got, want, "round {round} pos {pos}");
                let Some(nl) = got else { break };
                let colon = buf[pos..nl].iter().position(|&c| c == b':').map(|i| pos + i);
                assert_eq!(lines.first_colon(pos, nl), colon, "round {round} line {pos}..{nl}");
                let bad = |i: usize| {
                    let c = buf[i];
                    (!(0x20..=0x7e).contains(&c) && !matches!(c, b'\n' | b'\r'))
                        || (c == b'\r' && buf.get(i + 1) != Some(&b'\n'))
                };
                assert_eq!(lines.suspect_before(nl), (from..nl).any(bad), "round {round} before {nl}");
                pos = nl + 1;
            }
        }
    }
}
