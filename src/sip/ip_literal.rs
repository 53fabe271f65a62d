//! IP address literals as they appear in Via sent-by, maddr and SDP c=
//! lines: dotted-quad IPv4 by one byte loop, everything else by std.

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
