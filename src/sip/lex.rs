//! Byte-level lexing shared by the header views: whitespace, lists and
//! parameters, aware of quoted strings and `<...>` so separators inside
//! them never split.

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

/// Little-endian load of up to 8 bytes without a `memcpy` call: a
/// variable-length copy_from_slice costs more than the work it feeds.
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
    // On bytes: `str::trim_matches` decodes chars, which costs more here.
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

/// The same for short values, where a plain byte loop beats memchr's
/// setup cost.
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
    sep: u8,
}

impl<'a> Split<'a> {
    pub(crate) fn new(s: &'a str, sep: u8) -> Self {
        Split { rest: Some(s), sep }
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
            let item = match find_unquoted(s.as_bytes(), self.sep) {
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
    // A byte loop: parameters are short, a memchr call costs more.
    match p.bytes().position(|c| c == b'=') {
        Some(i) => (trim_str(sub(p, 0, i)), Some(trim_str(sub(p, i + 1, p.len())))),
        None => (trim_str(p), None),
    }
}

/// An IP address literal; dotted-quad IPv4 by a byte loop (the std parser
/// costs several times more and this runs for every response's Via).
pub(crate) fn parse_ip(s: &str) -> Option<std::net::IpAddr> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 15 || !b[0].is_ascii_digit() {
        return s.parse().ok();
    }
    let (mut octets, mut n, mut value, mut digits) = ([0u8; 4], 0, 0u32, 0);
    for &c in b {
        match c {
            b'0'..=b'9' => {
                // No leading zeros, like std (RFC 6943 §3.1.1 ambiguity).
                if digits == 3 || (digits == 1 && value == 0) {
                    return s.parse().ok(); // IPv6 ("2001::1", "00::1") or invalid
                }
                value = value * 10 + u32::from(c - b'0');
                digits += 1;
            }
            b'.' if digits > 0 && n < 3 => {
                octets[n] = u8::try_from(value).ok()?;
                (n, value, digits) = (n + 1, 0, 0);
            }
            b'.' => return None,
            _ => return s.parse().ok(),
        }
    }
    if n != 3 || digits == 0 {
        return None;
    }
    octets[3] = u8::try_from(value).ok()?;
    Some(std::net::IpAddr::from(octets))
}

#[cfg(test)]
mod tests {
    /// The byte loop agrees with std on dotted-quad shapes and odd cases.
    #[test]
    fn parse_ip_agrees_with_std() {
        let cases = [
            "127.0.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "1..3.4",
            "",
            ".",
            "1.2.3.4.",
            "999.9.9.9",
            "::1",
            "fe80::1",
            "host",
            "10.0.0.255",
            "1.2.3.04",
        ];
        for c in cases {
            assert_eq!(super::parse_ip(c), c.parse().ok(), "{c:?}");
        }
        for n in 0..5000u32 {
            let s = format!("{}.{}.{}.{}", n % 300, n / 7 % 260, n % 13, n / 3 % 256);
            assert_eq!(super::parse_ip(&s), s.parse().ok(), "{s}");
        }
    }
}
