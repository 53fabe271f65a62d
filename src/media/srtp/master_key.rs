//! A master key and salt as SDES carries them (RFC 4568 §6.1): the bytes,
//! the optional lifetime and MKI. The bytes never show in Debug output and
//! are wiped when the key is dropped.

use std::fmt;

use zeroize::Zeroize;

use super::error::SrtpError;
use super::mki::Mki;
use super::suite::SrtpSuite;

/// The longest key||salt of any suite we speak.
pub(crate) const MAX_KEY_AND_SALT: usize = 30;

/// RFC 3711 §9.2: at most 2^48 SRTP packets under one master key.
pub const MAX_LIFETIME: u64 = 1 << 48;

/// One master key and salt with its SDES parameters.
#[derive(Clone, PartialEq, Eq)]
pub struct MasterKey {
    suite: SrtpSuite,
    bytes: [u8; MAX_KEY_AND_SALT],
    lifetime: Option<u64>,
    mki: Option<Mki>,
}

impl MasterKey {
    /// A key from `key || salt` (exactly the suite's length), with an
    /// optional lifetime in packets (1 ..= 2^48) and MKI.
    pub fn new(
        suite: SrtpSuite,
        key_and_salt: &[u8],
        lifetime: Option<u64>,
        mki: Option<Mki>,
    ) -> Result<MasterKey, SrtpError> {
        if key_and_salt.len() != suite.key_len() + suite.salt_len() {
            return Err(SrtpError::BadKey("key||salt length does not match the suite"));
        }
        if lifetime.is_some_and(|l| l == 0 || l > MAX_LIFETIME) {
            return Err(SrtpError::BadKey("lifetime out of range"));
        }
        let mut bytes = [0u8; MAX_KEY_AND_SALT];
        bytes[..key_and_salt.len()].copy_from_slice(key_and_salt);
        Ok(MasterKey { suite, bytes, lifetime, mki })
    }

    /// A fresh key and salt from the OS random source, no lifetime, no MKI.
    pub fn generate(suite: SrtpSuite) -> Result<MasterKey, SrtpError> {
        let mut bytes = [0u8; MAX_KEY_AND_SALT];
        let n = suite.key_len() + suite.salt_len();
        getrandom::fill(&mut bytes[..n]).map_err(|_| SrtpError::Random)?;
        Ok(MasterKey { suite, bytes, lifetime: None, mki: None })
    }

    /// The suite the key is for.
    pub fn suite(&self) -> SrtpSuite {
        self.suite
    }

    /// The lifetime in packets, if SDP gave one.
    pub fn lifetime(&self) -> Option<u64> {
        self.lifetime
    }

    /// The MKI, if SDP gave one.
    pub fn mki(&self) -> Option<Mki> {
        self.mki
    }

    /// The same key with this MKI.
    pub fn with_mki(mut self, mki: Option<Mki>) -> MasterKey {
        self.mki = mki;
        self
    }

    /// `key || salt`, as SDES encodes it.
    pub(crate) fn key_and_salt(&self) -> &[u8] {
        &self.bytes[..self.suite.key_len() + self.suite.salt_len()]
    }

    /// The master key.
    pub(crate) fn key(&self) -> &[u8] {
        &self.bytes[..self.suite.key_len()]
    }

    /// The master salt.
    pub(crate) fn salt(&self) -> &[u8] {
        &self.key_and_salt()[self.suite.key_len()..]
    }
}

impl Drop for MasterKey {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey")
            .field("suite", &self.suite)
            .field("key", &"<redacted>")
            .field("lifetime", &self.lifetime)
            .field("mki", &self.mki)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_key() {
        let k = MasterKey::new(SrtpSuite::AesCm128HmacSha1_80, &[0xab; 30], Some(1 << 20), None).unwrap();
        let shown = format!("{k:?} {k:#?}");
        assert!(shown.contains("redacted") && shown.contains("AesCm128HmacSha1_80"));
        assert!(!shown.contains("171") && !shown.to_lowercase().contains("ab, "), "{shown}");
    }

    #[test]
    fn lengths_and_lifetimes_are_checked() {
        let s = SrtpSuite::AeadAes128Gcm;
        assert!(MasterKey::new(s, &[1; 28], None, None).is_ok());
        assert!(MasterKey::new(s, &[1; 30], None, None).is_err());
        assert!(MasterKey::new(s, &[1; 28], Some(0), None).is_err());
        assert!(MasterKey::new(s, &[1; 28], Some(MAX_LIFETIME + 1), None).is_err());
        let k = MasterKey::new(s, &(0..28).collect::<Vec<u8>>(), None, None).unwrap();
        assert_eq!((k.key().len(), k.salt()[0], k.salt().len()), (16, 16, 12));
    }

    #[test]
    fn generated_keys_differ_and_fill_the_suite_length() {
        let a = MasterKey::generate(SrtpSuite::AesCm128HmacSha1_32).unwrap();
        let b = MasterKey::generate(SrtpSuite::AesCm128HmacSha1_32).unwrap();
        assert_ne!(a.key_and_salt(), b.key_and_salt());
        assert_eq!(a.key_and_salt().len(), 30);
    }
}
