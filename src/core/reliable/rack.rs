//! The RAck header (RFC 3262 §7.2): `RAck: response-num CSeq-num Method`,
//! naming the reliable provisional a PRACK acknowledges.

use crate::sip::Method;

/// A parsed RAck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RAck {
    /// The RSeq of the provisional acknowledged.
    pub rseq: u32,
    /// The CSeq number of the request it answered.
    pub cseq: u32,
    /// That request's method.
    pub method: Method,
}

impl RAck {
    /// Reads an RAck value; None when it is not three well-formed parts.
    pub(crate) fn parse(value: &str) -> Option<RAck> {
        let mut parts = value.split_ascii_whitespace();
        let rseq = number(parts.next()?)?;
        let cseq = number(parts.next()?)?;
        let method = Method::from_token(parts.next()?.as_bytes());
        if parts.next().is_some() {
            return None;
        }
        Some(RAck { rseq, cseq, method })
    }
}

/// 1*DIGIT within u32.
fn number(s: &str) -> Option<u32> {
    (s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn racks() {
        let r = RAck::parse(" 776656 1 INVITE ").unwrap();
        assert_eq!((r.rseq, r.cseq, r.method), (776656, 1, Method::Invite));
        for bad in ["", "1 2", "1 2 INVITE x", "a 2 INVITE", "1 -2 INVITE", "99999999999 1 INVITE"] {
            assert_eq!(RAck::parse(bad), None, "{bad:?}");
        }
    }
}
