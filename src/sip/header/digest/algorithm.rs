//! The hashes of digest authentication (RFC 7616 §3.2, RFC 8760 for SIP)
//! and the hex digests they are written in.

use md5::{Digest, Md5};
use sha2::{Sha256, Sha512_256};

/// The hash a challenge asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    /// MD5 (the default when the challenge names none).
    Md5,
    /// SHA-256 (RFC 8760).
    Sha256,
    /// SHA-512/256 (RFC 8760).
    Sha512_256,
}

impl DigestAlgorithm {
    /// The `algorithm=` token.
    pub fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Md5 => "MD5",
            DigestAlgorithm::Sha256 => "SHA-256",
            DigestAlgorithm::Sha512_256 => "SHA-512-256",
        }
    }

    /// The algorithm an `algorithm=` token names (any case); None for
    /// the `-sess` variants and others we do not implement.
    pub fn from_name(token: &str) -> Option<DigestAlgorithm> {
        [DigestAlgorithm::Md5, DigestAlgorithm::Sha256, DigestAlgorithm::Sha512_256]
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(token))
    }

    /// Length of the hex digest (32 for MD5, 64 for the others).
    pub fn hex_len(self) -> usize {
        match self {
            DigestAlgorithm::Md5 => 32,
            DigestAlgorithm::Sha256 | DigestAlgorithm::Sha512_256 => 64,
        }
    }

    /// Lowercase hex of the digest of the parts, hashed one after the
    /// other (`H(a:b:c)` without building the joined string).
    pub fn hex_of(self, parts: &[&[u8]]) -> String {
        fn run<D: Digest>(parts: &[&[u8]]) -> String {
            let mut d = D::new();
            for p in parts {
                d.update(p);
            }
            to_hex(&d.finalize())
        }
        match self {
            DigestAlgorithm::Md5 => run::<Md5>(parts),
            DigestAlgorithm::Sha256 => run::<Sha256>(parts),
            DigestAlgorithm::Sha512_256 => run::<Sha512_256>(parts),
        }
    }
}

/// Lowercase hex of the digest of `data`.
pub fn hex_digest(alg: DigestAlgorithm, data: &[u8]) -> String {
    alg.hex_of(&[data])
}

/// Lowercase hex of bytes.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
    }
    s
}
