//! HTTP digest authentication for SIP (RFC 3261 §22.4, RFC 2617, RFC 7616
//! and RFC 8760 for SHA-256): read a `WWW-Authenticate` or
//! `Proxy-Authenticate` challenge and write the matching credentials;
//! read credentials and compute the response a server expects.

mod algorithm;
mod credentials;

pub(crate) use algorithm::to_hex;
pub use algorithm::{DigestAlgorithm, hex_digest};
pub use credentials::{DigestCredentials, ha1};

/// A digest challenge, as slices of the header value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Challenge<'a> {
    /// Protection space.
    pub realm: &'a str,
    /// Server nonce.
    pub nonce: &'a str,
    /// Opaque value to echo.
    pub opaque: Option<&'a str>,
    /// The hash.
    pub algorithm: DigestAlgorithm,
    /// The server offers `qop=auth` (then cnonce and nc are sent).
    pub qop_auth: bool,
    /// The previous nonce was stale: retrying with the same password is
    /// expected to work.
    pub stale: bool,
}

impl<'a> Challenge<'a> {
    /// Parses `Digest realm="..", nonce="..", ...`. None when the scheme is
    /// not Digest, realm or nonce is missing, or the algorithm is one we
    /// do not implement.
    pub fn parse(value: &'a str) -> Option<Challenge<'a>> {
        let value = value.trim_start();
        let (scheme, rest) = value.split_at(value.find([' ', '\t'])?);
        if !scheme.eq_ignore_ascii_case("Digest") {
            return None;
        }
        let (mut realm, mut nonce, mut opaque) = (None, None, None);
        let (mut algorithm, mut qop_auth, mut stale) = (DigestAlgorithm::Md5, false, false);
        for (name, v) in params(rest) {
            match name.to_ascii_lowercase().as_str() {
                "realm" => realm = Some(v),
                "nonce" => nonce = Some(v),
                "opaque" => opaque = Some(v),
                "algorithm" => algorithm = DigestAlgorithm::from_name(v)?,
                "qop" => qop_auth = v.split(',').any(|q| q.trim().eq_ignore_ascii_case("auth")),
                "stale" => stale = v.eq_ignore_ascii_case("true"),
                _ => {}
            }
        }
        Some(Challenge { realm: realm?, nonce: nonce?, opaque, algorithm, qop_auth, stale })
    }

    /// The credentials (header value) for `method` on `uri`.
    pub fn answer(
        &self,
        user: &str,
        password: &str,
        method: &str,
        uri: &str,
        cnonce: &str,
        nc: u32,
    ) -> String {
        let h = |s: &str| hex_digest(self.algorithm, s.as_bytes());
        let ha1 = h(&format!("{user}:{}:{password}", self.realm));
        let ha2 = h(&format!("{method}:{uri}"));
        let nc = format!("{nc:08x}");
        let response = if self.qop_auth {
            h(&format!("{ha1}:{}:{nc}:{cnonce}:auth:{ha2}", self.nonce))
        } else {
            h(&format!("{ha1}:{}:{ha2}", self.nonce))
        };
        let alg = self.algorithm.name();
        let mut v = format!(
            "Digest username=\"{user}\", realm=\"{}\", nonce=\"{}\", uri=\"{uri}\", response=\"{response}\", algorithm={alg}",
            self.realm, self.nonce
        );
        if self.qop_auth {
            v.push_str(&format!(", cnonce=\"{cnonce}\", qop=auth, nc={nc}"));
        }
        if let Some(o) = self.opaque {
            v.push_str(&format!(", opaque=\"{o}\""));
        }
        v
    }
}

/// `name=value` pairs separated by commas; values may be quoted (and then
/// hold commas).
pub(crate) fn params(mut s: &str) -> impl Iterator<Item = (&str, &str)> {
    std::iter::from_fn(move || {
        s = s.trim_start_matches([' ', '\t', ',', '\r', '\n']);
        let eq = s.find('=')?;
        let name = s[..eq].trim();
        let rest = s[eq + 1..].trim_start();
        let (value, next) = match rest.strip_prefix('"') {
            Some(q) => {
                let end = q.find('"')?;
                (&q[..end], &q[end + 1..])
            }
            None => {
                let end = rest.find(',').unwrap_or(rest.len());
                (rest[..end].trim(), &rest[end..])
            }
        };
        s = next;
        Some((name, value))
    })
}
