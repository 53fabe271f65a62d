//! IP address literals as they appear in Via sent-by, maddr and SDP c=
//! lines: dotted-quad IPv4 by one byte loop, everything else by std.

/// An IP address literal; dotted-quad IPv4 by an unrolled byte walk (this
/// runs for every response's Via and every SDP `c=`). Anything the walk
/// does not accept goes to std, so std stays the definition of what is
/// valid.
pub(crate) fn parse_ip(s: &str) -> Option<std::net::IpAddr> {
    dotted_quad(s.as_bytes()).map(std::net::IpAddr::from).or_else(|| s.parse().ok())
}

/// `d{1,3} ("." d{1,3}){3}`, each at most 255 and without a leading zero
/// (std refuses those too); `None` sends the caller to std.
#[inline]
fn dotted_quad(b: &[u8]) -> Option<[u8; 4]> {
    let digit = |i: usize| b.get(i).map(|c| c.wrapping_sub(b'0')).filter(|&d| d <= 9);
    let mut octets = [0u8; 4];
    let mut i = 0;
    for (k, octet) in octets.iter_mut().enumerate() {
        if k > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let mut v = u32::from(digit(i)?);
        i += 1;
        if let Some(d) = digit(i) {
            if v == 0 {
                return None;
            }
            v = v * 10 + u32::from(d);
            i += 1;
            if let Some(d) = digit(i) {
                v = v * 10 + u32::from(d);
                i += 1;
            }
        }
        *octet = u8::try_from(v).ok()?;
    }
    (i == b.len()).then_some(octets)
}

#[cfg(test)]
mod tests {
    /// The byte walk agrees with std on dotted-quad shapes and odd cases.
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
            // Every quad std accepts takes the fast walk, not the fallback.
            let v4 = s.parse::<std::net::Ipv4Addr>().ok().map(|a| a.octets());
            assert_eq!(super::dotted_quad(s.as_bytes()), v4, "{s}");
        }
    }
}
