//! The AEAD_AES_128_GCM transform (RFC 7714): one direction's session key
//! and 96-bit salt for SRTP or SRTCP; the IV is the salt XOR a 12-byte
//! string of the SSRC and the packet index (§8.1, §9.1).

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce, Tag};

use super::kdf::{Kdf, Label};

/// GCM's tag length in SRTP.
pub(crate) const GCM_TAG: usize = 16;

/// AES-128-GCM with its session salt.
pub(crate) struct Gcm {
    aead: Aes128Gcm,
    salt: [u8; 12],
}

impl Gcm {
    /// The SRTP (`rtcp` false) or SRTCP session key and salt.
    pub(crate) fn derive(kdf: &Kdf, rtcp: bool) -> Gcm {
        let (enc, salt) = if rtcp {
            (Label::RtcpEncryption, Label::RtcpSalt)
        } else {
            (Label::RtpEncryption, Label::RtpSalt)
        };
        let mut key = zeroize::Zeroizing::new([0u8; 16]);
        kdf.derive(enc, &mut key[..]);
        let aead = Aes128Gcm::new_from_slice(&key[..]).expect("16-byte session key");
        let mut s = [0u8; 12];
        kdf.derive(salt, &mut s);
        Gcm { aead, salt: s }
    }

    /// The SRTP IV input: 00 00 || SSRC || ROC || SEQ.
    pub(crate) fn rtp_fields(ssrc: u32, index: u64) -> [u8; 12] {
        let mut f = [0u8; 12];
        f[2..6].copy_from_slice(&ssrc.to_be_bytes());
        f[6..12].copy_from_slice(&index.to_be_bytes()[2..]);
        f
    }

    /// The SRTCP IV input: 00 00 || SSRC || 00 00 || 0 || SRTCP index.
    pub(crate) fn rtcp_fields(ssrc: u32, index: u32) -> [u8; 12] {
        let mut f = [0u8; 12];
        f[2..6].copy_from_slice(&ssrc.to_be_bytes());
        f[8..12].copy_from_slice(&(index & 0x7fff_ffff).to_be_bytes());
        f
    }

    fn nonce(&self, fields: [u8; 12]) -> Nonce<aes_gcm::aead::consts::U12> {
        let mut n = fields;
        for (b, s) in n.iter_mut().zip(self.salt) {
            *b ^= s;
        }
        n.into()
    }

    /// Encrypts `data` in place; returns the tag.
    pub(crate) fn seal(&self, fields: [u8; 12], aad: &[u8], data: &mut [u8]) -> [u8; GCM_TAG] {
        let tag = self.aead.encrypt_inout_detached(&self.nonce(fields), aad, data.into());
        // Only lengths beyond 2^36 bytes fail; a datagram never does.
        tag.map(Into::into).unwrap_or([0; GCM_TAG])
    }

    /// Decrypts `data` in place when `tag` authenticates it and `aad`.
    pub(crate) fn open(&self, fields: [u8; 12], aad: &[u8], data: &mut [u8], tag: &[u8]) -> bool {
        let Ok(tag) = Tag::try_from(tag) else { return false };
        self.aead.decrypt_inout_detached(&self.nonce(fields), aad, data.into(), &tag).is_ok()
    }
}

impl Drop for Gcm {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.salt);
    }
}
