//! The top Via in one forward pass, for the shape nearly every UA sends:
//! `SIP/2.0/<transport> host[:port][;param[=value]]*`. Anything else
//! (IPv6, quotes, LWS inside, odd spacing) returns `None` and takes the
//! general parser, which this must always agree with (tested below).

use super::{Via, ViaCuts};
use crate::sip::span::Span;

/// Byte classes of the plain shape, one table lookup per byte.
const HOST: u8 = 1; // alphanumeric . - _
const TOKEN: u8 = 2; // RFC 3261 token
const PARAM: u8 = 4; // token plus `:` (IPv6 `received` values)
const DIGIT: u8 = 8;
const ALPHA: u8 = 16;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let token = c.is_ascii_alphanumeric()
            || matches!(c, b'-' | b'.' | b'!' | b'%' | b'*' | b'_' | b'+' | b'`' | b'\'' | b'~');
        let mut k = 0;
        if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_') {
            k |= HOST;
        }
        if token {
            k |= TOKEN | PARAM;
        }
        if c == b':' {
            k |= PARAM;
        }
        if c.is_ascii_digit() {
            k |= DIGIT;
        }
        if c.is_ascii_alphabetic() {
            k |= ALPHA;
        }
        t[i] = k;
        i += 1;
    }
    t
};

/// The end of the run of `class` bytes starting at `i`.
#[inline(always)]
fn run(b: &[u8], mut i: usize, class: u8) -> usize {
    while let Some(&c) = b.get(i) {
        if CLASS[usize::from(c)] & class == 0 {
            break;
        }
        i += 1;
    }
    i
}

/// One whole Via value of the plain shape (nothing after it).
pub(super) fn parse_whole(value: &str) -> Option<Via<'_>> {
    cuts(value).filter(|c| c.end() == value.len()).map(|c| c.apply(value))
}

/// The first Via value of a Via header's text, when it has the plain shape.
#[cfg(test)]
pub(super) fn parse_top(value: &str) -> Option<Via<'_>> {
    cuts(value).map(|c| c.apply(value))
}

/// The cuts of the first Via value of a Via header's text, when it has
/// the plain shape.
pub(crate) fn cuts(value: &str) -> Option<ViaCuts> {
    let b = value.as_bytes();
    if b.len() >= usize::from(u16::MAX) || !b.starts_with(b"SIP/2.0/") {
        return None;
    }
    let t_end = run(b, 8, ALPHA);
    if t_end == 8 || b.get(t_end) != Some(&b' ') {
        return None;
    }
    let host_start = t_end + 1;
    let host_end = run(b, host_start, HOST);
    if host_end == host_start {
        return None;
    }
    let mut i = host_end;
    let mut port = None;
    if b.get(i) == Some(&b':') {
        let digits_end = run(b, i + 1, DIGIT);
        port = Some(crate::sip::lex::parse_u32(&b[i + 1..digits_end]).and_then(|p| u16::try_from(p).ok())?);
        i = digits_end;
    }
    let sent_by_end = i;
    let mut known = [Span::NONE; 4];
    while b.get(i) == Some(&b';') {
        let name_start = i + 1;
        let name_end = run(b, name_start, TOKEN);
        if name_end == name_start {
            return None;
        }
        let mut value = Span::new(name_end, name_end);
        i = name_end;
        if b.get(i) == Some(&b'=') {
            i = run(b, name_end + 1, PARAM);
            if i == name_end + 1 {
                return None;
            }
            value = Span::new(name_end + 1, i);
        }
        let slot = match &b[name_start..name_end] {
            n if n.eq_ignore_ascii_case(b"branch") => 0,
            n if n.eq_ignore_ascii_case(b"received") => 1,
            n if n.eq_ignore_ascii_case(b"rport") => 2,
            n if n.eq_ignore_ascii_case(b"maddr") => 3,
            _ => continue,
        };
        // The first of a repeated parameter wins, as in `KnownParams::note`.
        if known[slot].is_none() {
            known[slot] = value;
        }
    }
    match b.get(i) {
        None | Some(b',') => {}
        _ => return None,
    }
    Some(ViaCuts {
        protocol: Span::new(0, 3),
        version: Span::new(4, 7),
        transport: Span::new(8, t_end),
        host: Span::new(host_start, host_end),
        sent_by: Span::new(host_start, sent_by_end),
        params: Span::new(sent_by_end, i),
        port,
        known,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn general(v: &str) -> Option<Via<'_>> {
        crate::sip::lex::Split::new(v, b',').next().and_then(|first| Via::parse_general(first).ok())
    }

    /// Wherever the one-pass parser answers, it answers what the general
    /// parser does, on typical values and on random mutations of them.
    #[test]
    fn agrees_with_the_general_parser() {
        let seeds = [
            "SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4242-1-0",
            "SIP/2.0/UDP host.example.com;branch=z9hG4bKa;rport;received=10.0.0.1",
            "SIP/2.0/TCP h:5060;rport=5062;BRANCH=z9hG4bK1;branch=second;maddr=1.2.3.4,SIP/2.0/UDP x",
            "SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1",
            "SIP/2.0/UDP h;received=2001:db8::1;ttl=3",
            "SIP / 2.0 / UDP h:1;branch=x",
            "SIP/2.0/UDP h:99999;branch=x",
            "SIP/2.0/UDP h;branch=\"q\"",
            "SIP/2.0/UDP  h",
            "SIP/2.0/UDP h;=x",
            "SIP/2.0/UDP h;branch=",
        ];
        let alphabet = b"SIP/2.0UDP ;=:,[]\"ab1z9hG4bK-.";
        let mut fast_hits = 0;
        for v in crate::sip::mutate::mutations(&seeds, alphabet, 400, 3) {
            if let Some(fast) = parse_top(&v) {
                fast_hits += 1;
                assert_eq!(Some(fast), general(&v), "{v:?}");
            }
            if let Some(whole) = parse_whole(&v) {
                assert_eq!(Ok(whole), Via::parse_general(&v), "{v:?}");
            }
        }
        assert!(fast_hits > 1000, "the fast path must cover the common shapes: {fast_hits}");
    }
}
