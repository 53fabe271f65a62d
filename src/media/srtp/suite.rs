//! The crypto suites we speak (RFC 4568 §6.2, RFC 7714 §14.1) and the
//! lengths each implies.

use std::fmt;
use std::str::FromStr;

use super::error::SrtpError;

/// An SRTP crypto suite as named in `a=crypto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SrtpSuite {
    /// AES-128 counter mode, HMAC-SHA1 with an 80-bit tag.
    AesCm128HmacSha1_80,
    /// AES-128 counter mode, HMAC-SHA1 with a 32-bit SRTP tag (SRTCP
    /// keeps 80 bits, RFC 4568 §6.2.2).
    AesCm128HmacSha1_32,
    /// AES-128 GCM with a 128-bit tag (RFC 7714).
    AeadAes128Gcm,
}

impl SrtpSuite {
    /// Every suite, in the order we offer them.
    pub const ALL: [SrtpSuite; 3] =
        [SrtpSuite::AesCm128HmacSha1_80, SrtpSuite::AesCm128HmacSha1_32, SrtpSuite::AeadAes128Gcm];

    /// The name in SDP.
    pub fn name(self) -> &'static str {
        match self {
            SrtpSuite::AesCm128HmacSha1_80 => "AES_CM_128_HMAC_SHA1_80",
            SrtpSuite::AesCm128HmacSha1_32 => "AES_CM_128_HMAC_SHA1_32",
            SrtpSuite::AeadAes128Gcm => "AEAD_AES_128_GCM",
        }
    }

    /// The suite with this SDP name (case-sensitive, as RFC 4568 writes it).
    pub fn from_name(name: &str) -> Option<SrtpSuite> {
        SrtpSuite::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Master (and session) key length, bytes.
    pub fn key_len(self) -> usize {
        16
    }

    /// Master (and session) salt length, bytes.
    pub fn salt_len(self) -> usize {
        if self.is_aead() { 12 } else { 14 }
    }

    /// Whether this is an AEAD suite (no separate authentication key).
    pub fn is_aead(self) -> bool {
        self == SrtpSuite::AeadAes128Gcm
    }

    /// SRTP authentication tag length, bytes.
    pub fn rtp_tag_len(self) -> usize {
        match self {
            SrtpSuite::AesCm128HmacSha1_80 => 10,
            SrtpSuite::AesCm128HmacSha1_32 => 4,
            SrtpSuite::AeadAes128Gcm => 16,
        }
    }

    /// SRTCP authentication tag length, bytes.
    pub fn rtcp_tag_len(self) -> usize {
        if self.is_aead() { 16 } else { 10 }
    }
}

impl fmt::Display for SrtpSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for SrtpSuite {
    type Err = SrtpError;
    fn from_str(s: &str) -> Result<SrtpSuite, SrtpError> {
        SrtpSuite::from_name(s).ok_or(SrtpError::BadKey("unknown crypto suite"))
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for SrtpSuite {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_lengths_follow_the_rfcs() {
        for s in SrtpSuite::ALL {
            assert_eq!(s.name().parse::<SrtpSuite>(), Ok(s));
            assert_eq!(s.to_string(), s.name());
        }
        assert!("aes_cm_128_hmac_sha1_80".parse::<SrtpSuite>().is_err());
        assert!(SrtpSuite::from_name("F8_128_HMAC_SHA1_80").is_none());
        let lens = |s: SrtpSuite| (s.key_len() + s.salt_len(), s.rtp_tag_len(), s.rtcp_tag_len());
        assert_eq!(lens(SrtpSuite::AesCm128HmacSha1_80), (30, 10, 10));
        assert_eq!(lens(SrtpSuite::AesCm128HmacSha1_32), (30, 4, 10));
        assert_eq!(lens(SrtpSuite::AeadAes128Gcm), (28, 16, 16));
    }
}
