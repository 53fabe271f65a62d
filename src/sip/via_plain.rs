//! The top Via in one forward pass, for the shape nearly every UA sends:
//! `SIP/2.0/<transport> host[:port][;param[=value]]*`. Anything else
//! (IPv6, quotes, LWS inside, odd spacing) returns `None` and takes the
//! general parser, which this must always agree with (tested below).

use super::via::{KnownParams, Via};

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

/// A part of a Via value as byte offsets into it; `NONE` for an absent
/// parameter. Values longer than 64 KiB never reach here (message cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cut(u16, u16);

pub(crate) const NONE: Cut = Cut(u16::MAX, u16::MAX);

/// Where the parts of one Via value lie in the text it was read from:
/// what a message remembers of its top Via instead of re-parsing it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ViaCuts {
    protocol: Cut,
    version: Cut,
    transport: Cut,
    host: Cut,
    sent_by: Cut,
    params: Cut,
    port: Option<u16>,
    known: [Cut; 4],
}

fn cut(a: usize, z: usize) -> Cut {
    Cut(a as u16, z as u16)
}

impl ViaCuts {
    /// The cuts of `via`, a Via parsed from `text` (the general parser's
    /// result); a slice from elsewhere becomes empty.
    pub(crate) fn of(text: &str, via: &Via<'_>) -> ViaCuts {
        let at = |s: &str| {
            let a = (s.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
            if a.saturating_add(s.len()) <= text.len() && text.len() < usize::from(u16::MAX) {
                cut(a, a + s.len())
            } else {
                Cut(0, 0)
            }
        };
        let k = &via.known;
        ViaCuts {
            protocol: at(via.protocol),
            version: at(via.version),
            transport: at(via.transport),
            host: at(via.host),
            sent_by: at(via.sent_by),
            params: at(via.params),
            port: via.port,
            known: [k.branch, k.received, k.rport, k.maddr].map(|p| p.map_or(NONE, at)),
        }
    }

    /// The Via these cuts describe in `text`.
    pub(crate) fn apply<'a>(&self, text: &'a str) -> Via<'a> {
        // Every cut is at an ASCII byte or the end, so each piece is UTF-8.
        self.apply_with(text.as_bytes(), |b| std::str::from_utf8(b).unwrap_or(""))
    }

    /// The Via these cuts describe in `text`, each piece made a `&str` by
    /// `text_of` (a message's own conversion skips the UTF-8 check when
    /// its head is ASCII).
    #[inline]
    pub(crate) fn apply_with<'a>(&self, text: &'a [u8], text_of: impl Fn(&'a [u8]) -> &'a str) -> Via<'a> {
        let get = |c: Cut| text_of(text.get(usize::from(c.0)..usize::from(c.1)).unwrap_or(&[]));
        let [branch, received, rport, maddr] = self.known.map(|c| (c != NONE).then(|| get(c)));
        Via {
            protocol: get(self.protocol),
            version: get(self.version),
            transport: get(self.transport),
            host: get(self.host),
            port: self.port,
            sent_by: get(self.sent_by),
            params: get(self.params),
            known: KnownParams { branch, received, rport, maddr },
        }
    }

    /// Where the value these cuts describe ends (its last part's end).
    pub(crate) fn end(&self) -> usize {
        usize::from(self.params.1)
    }
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
        port = Some(super::lex::parse_u32(&b[i + 1..digits_end]).and_then(|p| u16::try_from(p).ok())?);
        i = digits_end;
    }
    let sent_by_end = i;
    let mut known = [NONE; 4];
    while b.get(i) == Some(&b';') {
        let name_start = i + 1;
        let name_end = run(b, name_start, TOKEN);
        if name_end == name_start {
            return None;
        }
        let mut value = cut(name_end, name_end);
        i = name_end;
        if b.get(i) == Some(&b'=') {
            i = run(b, name_end + 1, PARAM);
            if i == name_end + 1 {
                return None;
            }
            value = cut(name_end + 1, i);
        }
        let slot = match &b[name_start..name_end] {
            n if n.eq_ignore_ascii_case(b"branch") => 0,
            n if n.eq_ignore_ascii_case(b"received") => 1,
            n if n.eq_ignore_ascii_case(b"rport") => 2,
            n if n.eq_ignore_ascii_case(b"maddr") => 3,
            _ => continue,
        };
        // The first of a repeated parameter wins, as in `KnownParams::note`.
        if known[slot] == NONE {
            known[slot] = value;
        }
    }
    match b.get(i) {
        None | Some(b',') => {}
        _ => return None,
    }
    Some(ViaCuts {
        protocol: cut(0, 3),
        version: cut(4, 7),
        transport: cut(8, t_end),
        host: cut(host_start, host_end),
        sent_by: cut(host_start, sent_by_end),
        params: cut(sent_by_end, i),
        port,
        known,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn general(v: &str) -> Option<Via<'_>> {
        super::super::lex::Split::new(v, b',').next().and_then(|first| Via::parse_general(first).ok())
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
        for v in super::super::mutate::mutations(&seeds, alphabet, 400, 3) {
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
