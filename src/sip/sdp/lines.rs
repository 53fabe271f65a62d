//! Line and field splitting. Everything here works on `&str` slices of the
//! input and tracks absolute byte offsets for error reporting.

use super::error::{SdpError, SdpErrorKind};

/// One `<letter>=<value>` line, trailing whitespace removed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line<'a> {
    pub letter: u8,
    pub value: &'a str,
    /// Offset of the line's first byte.
    pub start: usize,
    /// Offset of `value`.
    pub offset: usize,
    /// Offset of the next line (just past the `\n`, or the end of input).
    pub next: usize,
}

/// Iterates the non-blank lines of an SDP body; CRLF and bare LF both end a line.
pub(super) struct Lines<'a> {
    text: &'a str,
    pos: usize,
    /// No control byte but HT and CRLF anywhere: lines need no own check.
    clean: bool,
}

impl<'a> Lines<'a> {
    /// The lines of `text`; `clean` as `body_scan` found it.
    pub fn new(text: &'a str, clean: bool) -> Self {
        Self { text, pos: 0, clean }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Result<Line<'a>, SdpError>;

    /// Inlined into the parser's one loop, so the line it returns stays
    /// in registers.
    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        let b = self.text.as_bytes();
        loop {
            let start = self.pos;
            if start >= b.len() {
                return None;
            }
            // Lines are short: words through the next 63 bytes first, so
            // the long rest of the body costs no memchr set-up per line
            // (`find_byte` hands 64 bytes and more to memchr).
            let near = &b[start..b.len().min(start + 63)];
            let found = crate::sip::lex::find_byte(near, b'\n').or_else(|| {
                crate::sip::lex::find_byte(&b[start + near.len()..], b'\n').map(|i| i + near.len())
            });
            let (mut end, next) = match found {
                Some(i) => (start + i, start + i + 1),
                None => (b.len(), b.len()),
            };
            self.pos = next;
            while end > start && matches!(b[end - 1], b' ' | b'\t' | b'\r') {
                end -= 1;
            }
            if end == start {
                continue; // blank lines are tolerated, not meaningful
            }
            return Some(split_line(self.text, start, end, next, self.clean));
        }
    }
}

/// The line `text[start..end]`: both cuts sit next to ASCII bytes (a line
/// end, a blank or the `x=` prefix), so every slice below is on a char
/// boundary and `get` cannot fail.
#[inline]
fn split_line(text: &str, start: usize, end: usize, next: usize, clean: bool) -> Result<Line<'_>, SdpError> {
    let line = &text.as_bytes()[start..end];
    // A stray CR or NUL inside a line is never legitimate and would smuggle
    // line breaks into anything that echoes the value.
    let is_bad = |b: u8| (b < 0x20 && b != b'\t') || b == 0x7f;
    if !clean && let Some(i) = line.iter().position(|&c| is_bad(c)) {
        return Err(SdpError::new(SdpErrorKind::BadLine, start + i));
    }
    match line {
        [letter, b'=', ..] if letter.is_ascii_alphabetic() => Ok(Line {
            letter: *letter,
            value: text.get(start + 2..end).unwrap_or(""),
            start,
            offset: start + 2,
            next,
        }),
        _ => Err(SdpError::new(SdpErrorKind::BadLine, start)),
    }
}

/// Whitespace-separated fields of a line value, with absolute offsets.
pub(super) struct Fields<'a> {
    rest: &'a str,
    offset: usize,
}

impl<'a> Fields<'a> {
    pub fn new(value: &'a str, offset: usize) -> Self {
        Self { rest: value, offset }
    }

    /// The next field and its offset, or `kind` at the current offset when none is left.
    /// Inlined, so the field it returns stays in registers: the fields
    /// are short and the scan is a few instructions.
    #[inline(always)]
    pub fn field(&mut self, kind: SdpErrorKind) -> Result<(&'a str, usize), SdpError> {
        let b = self.rest.as_bytes();
        let blank = |c: u8| c == b' ' || c == b'\t';
        // Fields are nearly always one blank apart: test the first byte
        // before scanning, and find the end by words.
        let mut start = 0;
        while start < b.len() && blank(b[start]) {
            start += 1;
        }
        let end = start + crate::sip::lex::find_blank(&b[start..]).unwrap_or(b.len() - start);
        let at = self.offset + start;
        if end == start {
            return Err(SdpError::new(kind, at));
        }
        let next = (end + 1).min(b.len());
        // SAFETY: `start` is 0 or follows an ASCII blank; `end` is the
        // length or sits on an ASCII blank, and `next` follows it or is the
        // length. A cut next to an ASCII byte is a char boundary, and all
        // are within `rest` and ordered.
        let (token, rest) = unsafe { (self.rest.get_unchecked(start..end), self.rest.get_unchecked(next..)) };
        self.rest = rest;
        self.offset += next;
        Ok((token, at))
    }

    /// Everything not consumed yet, leading blanks skipped, and its offset.
    pub fn rest(&mut self) -> (&'a str, usize) {
        self.skip_blanks();
        (self.rest, self.offset)
    }

    fn skip_blanks(&mut self) {
        let blanks = self.rest.bytes().take_while(|&b| b == b' ' || b == b'\t').count();
        let trimmed = self.rest.get(blanks..).unwrap_or("");
        self.offset += self.rest.len() - trimmed.len();
        self.rest = trimmed;
    }
}

/// Strict unsigned decimal: ASCII digits only (no sign, no blanks), no overflow.
#[inline]
pub(super) fn parse_digits(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let digit = |c: u8| Some(c.wrapping_sub(b'0')).filter(|&d| d <= 9).map(u64::from);
    if b.is_empty() {
        return None;
    }
    // 19 digits never overflow a u64: the usual short numbers skip the
    // checked arithmetic.
    if b.len() <= 19 {
        return b.iter().try_fold(0u64, |acc, &c| Some(acc * 10 + digit(c)?));
    }
    b.iter().try_fold(0u64, |acc, &c| acc.checked_mul(10)?.checked_add(digit(c)?))
}

/// Strict decimal that must fit `T`.
#[inline]
pub(super) fn parse_num<T: TryFrom<u64>>(s: &str) -> Option<T> {
    parse_digits(s).and_then(|n| T::try_from(n).ok())
}

#[cfg(test)]
mod tests {
    /// The unchecked short path and the checked long one agree with std
    /// around the overflow edge; signs and blanks are refused.
    #[test]
    fn parse_digits_is_strict_and_exact() {
        let cases = [
            "0",
            "00",
            "65535",
            "9999999999999999999",
            "10000000000000000000",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "123456789012345678901",
        ];
        for c in cases {
            assert_eq!(super::parse_digits(c), c.parse::<u64>().ok(), "{c}");
        }
        for bad in ["", "+1", "-1", " 1", "1 ", "1a", "0x10", "１"] {
            assert_eq!(super::parse_digits(bad), None, "{bad:?}");
        }
        assert_eq!(super::parse_num::<u16>("65536"), None);
        assert_eq!(super::parse_num::<u8>("127"), Some(127));
    }
}
