//! The AES_CM_128_HMAC_SHA1 transforms (RFC 3711 §4.1.1, §4.2.1): one
//! direction's session encryption key, salt and authentication key for
//! SRTP or SRTCP, each derived once from the master key.

use aes::Aes128Enc;
use aes::cipher::KeyInit;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

use super::aes_cm::{apply_keystream, packet_iv};
use super::kdf::{Kdf, Label};

/// Counter-mode encryption with a truncated HMAC-SHA1 tag.
pub(crate) struct CmHmac {
    aes: Aes128Enc,
    salt: [u8; 14],
    /// Keyed once: each packet clones the inner and outer hash states.
    auth: Hmac<Sha1>,
    pub(crate) tag_len: usize,
}

impl CmHmac {
    /// The SRTP (`rtcp` false) or SRTCP session keys of a master key.
    pub(crate) fn derive(kdf: &Kdf, rtcp: bool, tag_len: usize) -> CmHmac {
        let (enc, auth, salt) = if rtcp {
            (Label::RtcpEncryption, Label::RtcpAuthentication, Label::RtcpSalt)
        } else {
            (Label::RtpEncryption, Label::RtpAuthentication, Label::RtpSalt)
        };
        let mut key = zeroize::Zeroizing::new([0u8; 20]);
        kdf.derive(enc, &mut key[..16]);
        let aes = Aes128Enc::new_from_slice(&key[..16]).expect("16-byte session key");
        kdf.derive(auth, &mut key[..]);
        let auth = <Hmac<Sha1>>::new_from_slice(&key[..]).expect("HMAC takes any key length");
        let mut s = [0u8; 14];
        kdf.derive(salt, &mut s);
        CmHmac { aes, salt: s, auth, tag_len }
    }

    /// Encrypts or decrypts `data` of packet `index` from `ssrc`.
    pub(crate) fn crypt(&self, ssrc: u32, index: u64, data: &mut [u8]) {
        apply_keystream(&self.aes, &packet_iv(&self.salt, ssrc, index), data);
    }

    /// The full HMAC over `authenticated` followed by `roc` (SRTP only).
    pub(crate) fn tag(&self, authenticated: &[u8], roc: Option<u32>) -> [u8; 20] {
        let mut mac = self.auth.clone();
        mac.update(authenticated);
        if let Some(roc) = roc {
            mac.update(&roc.to_be_bytes());
        }
        mac.finalize().into_bytes().into()
    }

    /// Whether `tag` (tag_len bytes) authenticates; constant time.
    pub(crate) fn verify(&self, authenticated: &[u8], roc: Option<u32>, tag: &[u8]) -> bool {
        let full = self.tag(authenticated, roc);
        bool::from(full[..self.tag_len].ct_eq(tag))
    }
}

impl Drop for CmHmac {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.salt);
    }
}
