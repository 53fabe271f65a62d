//! The credentials a UAC answers a challenge with: an `Authorization`
//! or `Proxy-Authorization` value (RFC 3261 §22.4, RFC 7616 §3.4), read
//! as slices of the header, and the response a server expects.

use super::{DigestAlgorithm, params};

/// Digest credentials, as slices of the header value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestCredentials<'a> {
    /// The user.
    pub username: &'a str,
    /// The protection space.
    pub realm: &'a str,
    /// The server's nonce, echoed.
    pub nonce: &'a str,
    /// The request target the response was computed over.
    pub uri: &'a str,
    /// The hex response.
    pub response: &'a str,
    /// The hash.
    pub algorithm: DigestAlgorithm,
    /// `qop=auth` was used (then `cnonce` and `nc` are set).
    pub qop_auth: bool,
    /// The client's nonce.
    pub cnonce: &'a str,
    /// The nonce count (0 when absent or not 8 hex digits).
    pub nc: u32,
    /// The nc text, as hashed.
    pub nc_text: &'a str,
    /// The opaque value, echoed.
    pub opaque: Option<&'a str>,
}

impl<'a> DigestCredentials<'a> {
    /// Parses `Digest username="..", realm="..", ...`. None when the
    /// scheme is not Digest, a required part is missing, the algorithm is
    /// one we do not implement, or qop is anything but `auth`.
    pub fn parse(value: &'a str) -> Option<DigestCredentials<'a>> {
        let value = value.trim_start();
        let (scheme, rest) = value.split_at(value.find([' ', '\t'])?);
        if !scheme.eq_ignore_ascii_case("Digest") {
            return None;
        }
        let mut c = DigestCredentials {
            username: "",
            realm: "",
            nonce: "",
            uri: "",
            response: "",
            algorithm: DigestAlgorithm::Md5,
            qop_auth: false,
            cnonce: "",
            nc: 0,
            nc_text: "",
            opaque: None,
        };
        let mut seen = 0u8;
        for (name, v) in params(rest) {
            let bit = match name.to_ascii_lowercase().as_str() {
                "username" => {
                    c.username = v;
                    1
                }
                "realm" => {
                    c.realm = v;
                    2
                }
                "nonce" => {
                    c.nonce = v;
                    4
                }
                "uri" => {
                    c.uri = v;
                    8
                }
                "response" => {
                    c.response = v;
                    16
                }
                "algorithm" => {
                    c.algorithm = DigestAlgorithm::from_name(v)?;
                    0
                }
                "qop" if v.eq_ignore_ascii_case("auth") => {
                    c.qop_auth = true;
                    0
                }
                "qop" => return None,
                "cnonce" => {
                    c.cnonce = v;
                    0
                }
                "nc" => {
                    c.nc_text = v;
                    0
                }
                "opaque" => {
                    c.opaque = Some(v);
                    0
                }
                _ => 0,
            };
            seen |= bit;
        }
        if seen != 31 {
            return None;
        }
        if c.nc_text.len() == 8 {
            c.nc = u32::from_str_radix(c.nc_text, 16).unwrap_or(0);
        }
        Some(c)
    }

    /// The response a server expects for `method` with this `ha1`
    /// (`H(user:realm:password)`, hex): RFC 7616 §3.4.1 with qop=auth,
    /// RFC 2069's form without.
    pub fn expected_response(&self, ha1: &str, method: &str) -> String {
        let h = |parts: &[&[u8]]| self.algorithm.hex_of(parts);
        let ha2 = h(&[method.as_bytes(), b":", self.uri.as_bytes()]);
        let (ha1, nonce, ha2) = (ha1.as_bytes(), self.nonce.as_bytes(), ha2.as_bytes());
        if self.qop_auth {
            let (nc, cnonce) = (self.nc_text.as_bytes(), self.cnonce.as_bytes());
            h(&[ha1, b":", nonce, b":", nc, b":", cnonce, b":auth:", ha2])
        } else {
            h(&[ha1, b":", nonce, b":", ha2])
        }
    }
}

/// `H(user:realm:password)`, hex.
pub fn ha1(alg: DigestAlgorithm, user: &str, realm: &str, password: &str) -> String {
    alg.hex_of(&[user.as_bytes(), b":", realm.as_bytes(), b":", password.as_bytes()])
}
