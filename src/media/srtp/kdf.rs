//! The SRTP key derivation function (RFC 3711 §4.3) with a key derivation
//! rate of 0: each session key, salt and authentication key is the AES-CM
//! keystream of the master key at x = (label · 2^48) XOR master salt. An
//! AEAD suite's 96-bit master salt is padded with zero bytes to 112 bits
//! (RFC 7714 §11).

use aes::Aes128Enc;
use aes::cipher::KeyInit;

use super::aes_cm::apply_keystream;
use super::master_key::MasterKey;

/// What a session key is for (RFC 3711 §4.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    RtpEncryption = 0,
    RtpAuthentication = 1,
    RtpSalt = 2,
    RtcpEncryption = 3,
    RtcpAuthentication = 4,
    RtcpSalt = 5,
}

/// The master key's PRF, keyed once for all labels.
pub(crate) struct Kdf {
    aes: Aes128Enc,
    salt: [u8; 14],
}

impl Kdf {
    pub(crate) fn new(master: &MasterKey) -> Kdf {
        let aes = Aes128Enc::new_from_slice(master.key()).expect("suites use 128-bit master keys");
        let mut salt = [0u8; 14];
        salt[..master.salt().len()].copy_from_slice(master.salt());
        Kdf { aes, salt }
    }

    /// Fills `out` with the session key for `label`.
    pub(crate) fn derive(&self, label: Label, out: &mut [u8]) {
        let mut iv = [0u8; 16];
        iv[..14].copy_from_slice(&self.salt);
        iv[7] ^= label as u8;
        out.fill(0);
        apply_keystream(&self.aes, &iv, out);
    }
}

impl Drop for Kdf {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.salt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::srtp::suite::SrtpSuite;
    use crate::media::srtp::test_hex::hex;

    /// RFC 3711 Appendix B.3.
    #[test]
    fn rfc3711_b3_key_derivation() {
        let key_and_salt = hex("E1F97A0D3E018BE0D64FA32C06DE4139 0EC675AD498AFEEBB6960B3AABE6");
        let master = MasterKey::new(SrtpSuite::AesCm128HmacSha1_80, &key_and_salt, None, None).unwrap();
        let kdf = Kdf::new(&master);
        let mut key = [0u8; 16];
        kdf.derive(Label::RtpEncryption, &mut key);
        assert_eq!(key.to_vec(), hex("C61E7A93744F39EE10734AFE3FF7A087"));
        let mut salt = [0u8; 14];
        kdf.derive(Label::RtpSalt, &mut salt);
        assert_eq!(salt.to_vec(), hex("30CBBC08863D8C85D49DB34A9AE1"));
        let mut auth = [0u8; 94];
        kdf.derive(Label::RtpAuthentication, &mut auth);
        let expected = hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE
             E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25
             6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2");
        assert_eq!(auth.to_vec(), expected);
    }
}
