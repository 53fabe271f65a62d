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

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let start = self.pos;
            let rest = self.text.get(start..)?;
            if rest.is_empty() {
                return None;
            }
            let (raw, next) = match crate::sip::byte_search::find_byte(rest.as_bytes(), b'\n') {
                Some(i) => (rest.get(..i)?, start + i + 1),
                None => (rest, self.text.len()),
            };
            self.pos = next;
            let kept = raw.bytes().rposition(|b| !matches!(b, b' ' | b'\t' | b'\r')).map_or(0, |i| i + 1);
            let line = raw.get(..kept).unwrap_or("");
            if line.is_empty() {
                continue; // blank lines are tolerated, not meaningful
            }
            return Some(split_line(line, start, next, self.clean));
        }
    }
}

fn split_line(line: &str, start: usize, next: usize, clean: bool) -> Result<Line<'_>, SdpError> {
    // A stray CR or NUL inside a line is never legitimate and would smuggle
    // line breaks into anything that echoes the value.
    let is_bad = |b: u8| (b < 0x20 && b != b'\t') || b == 0x7f;
    if !clean && let Some(i) = line.bytes().position(is_bad) {
        return Err(SdpError::new(SdpErrorKind::BadLine, start + i));
    }
    match line.as_bytes() {
        [letter, b'=', ..] if letter.is_ascii_alphabetic() => {
            Ok(Line { letter: *letter, value: line.get(2..).unwrap_or(""), start, offset: start + 2, next })
        }
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
    pub fn field(&mut self, kind: SdpErrorKind) -> Result<(&'a str, usize), SdpError> {
        // One byte pass; every cut is at a blank or the end, so on a char boundary.
        let b = self.rest.as_bytes();
        let blank = |c: u8| c == b' ' || c == b'\t';
        // Fields are nearly always one blank apart: test the first byte
        // before scanning, and find the end by words.
        let start = match b.first() {
            Some(&c) if !blank(c) => 0,
            _ => b.iter().position(|&c| !blank(c)).unwrap_or(b.len()),
        };
        let end = start + crate::sip::byte_search::find_blank(&b[start..]).unwrap_or(b.len() - start);
        let at = self.offset + start;
        if end == start {
            return Err(SdpError::new(kind, at));
        }
        let token = self.rest.get(start..end).unwrap_or("");
        let next = (end + 1).min(b.len());
        self.rest = self.rest.get(next..).unwrap_or("");
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
pub(super) fn parse_digits(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0u64, |acc, b| {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        acc.checked_mul(10)?.checked_add(u64::from(d))
    })
}

/// Strict decimal that must fit `T`.
pub(super) fn parse_num<T: TryFrom<u64>>(s: &str) -> Option<T> {
    parse_digits(s).and_then(|n| T::try_from(n).ok())
}
