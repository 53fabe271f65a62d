//! Byte-level lexing shared by messages, header views and SDP:
//! whitespace, lists and parameters, aware of quoted strings and `<...>`
//! so separators inside them never split; short byte searches; IP
//! address literals.

mod byte_search;
pub(crate) mod ip_literal;

pub(crate) use byte_search::{find_blank, find_byte};

/// Linear whitespace, including the CR/LF left inside folded values.
#[inline]
pub(crate) fn is_lws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Trims linear whitespace on both sides.
#[inline]
pub(crate) fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_lws(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_lws(*last) {
            break;
        }
        s = rest;
    }
    s
}

/// Little-endian load of up to 8 bytes, one load for a whole word and
/// no variable-length copy for a shorter one.
#[inline(always)]
pub(crate) fn load_word(c: &[u8]) -> u64 {
    match <[u8; 8]>::try_from(c) {
        Ok(a) => u64::from_le_bytes(a),
        Err(_) => c.iter().take(8).enumerate().fold(0, |w, (i, &b)| w | u64::from(b) << (8 * i)),
    }
}

/// Trims linear whitespace on both sides of text.
#[inline]
pub(crate) fn trim_str(s: &str) -> &str {
    // On bytes: whitespace is ASCII, no char decoding is needed.
    let b = s.as_bytes();
    let (mut a, mut z) = (0, b.len());
    while a < z && is_lws(b[a]) {
        a += 1;
    }
    while z > a && is_lws(b[z - 1]) {
        z -= 1;
    }
    sub(s, a, z)
}

/// `s[a..b]` without a panic path: separators are ASCII, so indexes found
/// by byte search are always char boundaries; `""` is the safe fallback.
#[inline]
pub(crate) fn sub(s: &str, a: usize, b: usize) -> &str {
    s.get(a..b).unwrap_or("")
}

/// A decimal number of at most 10 digits that fits in `u32`.
pub(crate) fn parse_u32(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 10 {
        return None;
    }
    let mut n: u64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    u32::try_from(n).ok()
}

/// Finds the first `sep` outside quoted strings and angle brackets.
/// Jumps between interesting bytes with memchr3 instead of walking every
/// byte through a state machine: values are mostly plain tokens.
pub(crate) fn find_unquoted(s: &[u8], sep: u8) -> Option<usize> {
    if s.len() < 48 {
        return find_unquoted_short(s, sep);
    }
    let mut i = 0;
    while i < s.len() {
        i += memchr::memchr3(sep, b'"', b'<', &s[i..])?;
        match s[i] {
            b'"' => i += 1 + closing_quote(&s[i + 1..])? + 1,
            b'<' => i += memchr::memchr(b'>', &s[i..])? + 1,
            _ => return Some(i),
        }
    }
    None
}

/// The same for short values, by a plain byte loop (no memchr setup).
fn find_unquoted_short(s: &[u8], sep: u8) -> Option<usize> {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == sep {
            return Some(i);
        }
        match c {
            b'"' => i += 1 + closing_quote(&s[i + 1..])?,
            b'<' => i += s[i..].iter().position(|&c| c == b'>')?,
            _ => {}
        }
        i += 1;
    }
    None
}

/// Offset of the quote that ends a quoted string whose body starts at
/// `s[0]`, honouring backslash escapes.
fn closing_quote(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        i += memchr::memchr2(b'"', b'\\', &s[i..])?;
        if s[i] == b'"' {
            return Some(i);
        }
        i += 2;
        if i > s.len() {
            return None;
        }
    }
}

/// Iterates over `sep`-separated items, trimmed, skipping empty ones,
/// never splitting inside quotes or `<...>`.
#[derive(Clone)]
pub(crate) struct Split<'a> {
    rest: Option<&'a str>,
    /// `None`: the whole text is one item.
    sep: Option<u8>,
}

impl<'a> Split<'a> {
    pub(crate) fn new(s: &'a str, sep: u8) -> Self {
        Split { rest: Some(s), sep: Some(sep) }
    }

    /// The whole of `s` as one item (trimmed; none when blank).
    pub(crate) fn whole(s: &'a str) -> Self {
        Split { rest: Some(s), sep: None }
    }

    /// The text not yet split.
    pub(crate) fn rest(&self) -> Option<&'a str> {
        self.rest
    }
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;
    fn next(&mut self) -> Option<&'a str> {
        loop {
            let s = self.rest?;
            let item = match self.sep.and_then(|sep| find_unquoted(s.as_bytes(), sep)) {
                Some(i) => {
                    self.rest = Some(sub(s, i + 1, s.len()));
                    sub(s, 0, i)
                }
                None => {
                    self.rest = None;
                    s
                }
            };
            let item = trim_str(item);
            if !item.is_empty() {
                return Some(item);
            }
        }
    }
}

/// Splits `name=value` (value optional), both trimmed.
pub(crate) fn split_param(p: &str) -> (&str, Option<&str>) {
    // A byte loop: parameters are short.
    match p.bytes().position(|c| c == b'=') {
        Some(i) => (trim_str(sub(p, 0, i)), Some(trim_str(sub(p, i + 1, p.len())))),
        None => (trim_str(p), None),
    }
}
