//! The top Via in one forward pass, for the shape nearly every UA sends:
//! `SIP/2.0/<transport> host[:port][;param[=value]]*`. Anything else
//! (IPv6, quotes, LWS inside, odd spacing) returns `None` and takes the
//! general parser, which this must always agree with (tested below).

use super::via::{KnownParams, Via};

fn is_host_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_')
}

/// Token characters of a parameter name or value (RFC 3261 §25.1), plus
/// `:` for IPv6 `received` values; quoting and spaces are left to the
/// general parser.
fn is_param_char(c: u8) -> bool {
    super::method::is_token_char(c) || c == b':'
}

/// One whole Via value of the plain shape (nothing after it).
pub(super) fn parse_whole(value: &str) -> Option<Via<'_>> {
    parse_top(value)
        .filter(|v| v.params.as_ptr() as usize + v.params.len() == value.as_ptr() as usize + value.len())
}

/// The first Via value of a Via header's text, when it has the plain shape.
pub(super) fn parse_top(value: &str) -> Option<Via<'_>> {
    let b = value.as_bytes();
    // Every cut below is at an ASCII byte, so `get` never fails on a
    // char boundary; it only spares a panic path.
    let text = |a: usize, z: usize| value.get(a..z);
    let rest = b.strip_prefix(b"SIP/2.0/")?;
    let t_len = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let mut i = 8 + t_len;
    if t_len == 0 || b.get(i) != Some(&b' ') {
        return None;
    }
    i += 1;
    let host_start = i;
    i += b[i..].iter().take_while(|&&c| is_host_char(c)).count();
    let host_end = i;
    let mut port = None;
    if b.get(i) == Some(&b':') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        port = Some(super::lex::parse_u32(&b[i + 1..i + 1 + digits]).and_then(|p| u16::try_from(p).ok())?);
        i += 1 + digits;
    }
    if host_end == host_start {
        return None;
    }
    let sent_by_end = i;
    let params_start = i;
    let mut known = KnownParams::default();
    while b.get(i) == Some(&b';') {
        let name_start = i + 1;
        let name_end =
            name_start + b[name_start..].iter().take_while(|&&c| super::method::is_token_char(c)).count();
        if name_end == name_start {
            return None;
        }
        let mut value = "";
        i = name_end;
        if b.get(i) == Some(&b'=') {
            let v_start = i + 1;
            i = v_start + b[v_start..].iter().take_while(|&&c| is_param_char(c)).count();
            if i == v_start {
                return None;
            }
            value = text(v_start, i)?;
        }
        known.note(text(name_start, name_end)?, value);
    }
    match b.get(i) {
        None | Some(b',') => {}
        _ => return None,
    }
    Some(Via {
        protocol: text(0, 3)?,
        version: text(4, 7)?,
        transport: text(8, 8 + t_len)?,
        host: text(host_start, host_end)?,
        port,
        sent_by: text(host_start, sent_by_end)?,
        params: text(params_start, i)?,
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
