//! Fresh SRTP master keys without reading the operating system: AES-128
//! in counter mode under a secret the runtime draws from the OS
//! (`CoreConfig::srtp_key`), over (shard, counter). Every key a shard
//! mints is distinct, and unguessable without that secret; the secret is
//! not the one behind our tags, so a fixed `id_key` (repeatable runs)
//! never fixes media keys.

use zeroize::Zeroize;

use crate::core::IdKey;
use crate::core::ids::TokenCipher;
use crate::media::{CryptoAttribute, MasterKey, SrtpSuite};

/// Separates these blocks from the identifiers' (kinds 0 and 1).
const KIND_MASTER_KEY: u8 = 2;

/// One shard's source of SRTP master keys. Debug shows no key.
#[derive(Debug)]
pub(crate) struct KeyMinter {
    shard: u16,
    cipher: TokenCipher,
    minted: u64,
}

impl KeyMinter {
    pub(crate) fn new(shard: u16, secret: &IdKey) -> KeyMinter {
        KeyMinter { shard, cipher: TokenCipher::new(secret), minted: 0 }
    }

    /// A fresh master key and salt for `suite` (two cipher blocks).
    pub(crate) fn master_key(&mut self, suite: SrtpSuite) -> Option<MasterKey> {
        let mut bytes = [0u8; 32];
        for half in bytes.chunks_mut(16) {
            self.minted += 1;
            let mut block = self.cipher.block(self.shard, self.minted, KIND_MASTER_KEY);
            half.copy_from_slice(&block);
            block.zeroize();
        }
        let key = MasterKey::new(suite, &bytes[..suite.key_len() + suite.salt_len()], None, None).ok();
        bytes.zeroize();
        key
    }

    /// An `a=crypto` of ours: `tag`, `suite`, a fresh key.
    pub(crate) fn attribute(&mut self, tag: u32, suite: SrtpSuite) -> Option<CryptoAttribute> {
        Some(CryptoAttribute { tag, suite, keys: vec![self.master_key(suite)?] })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys never repeat within a shard nor across shards of one secret,
    /// and another secret gives others.
    #[test]
    fn keys_are_distinct_and_keyed() {
        let secret = IdKey::from_bytes([3; 16]);
        let mut seen = std::collections::HashSet::new();
        for shard in 0..3 {
            let mut m = KeyMinter::new(shard, &secret);
            for suite in SrtpSuite::ALL.into_iter().cycle().take(300) {
                let k = m.master_key(suite).unwrap();
                assert_eq!(k.suite(), suite);
                assert!(seen.insert(inline(&k)));
            }
        }
        let mut other = KeyMinter::new(0, &IdKey::from_bytes([4; 16]));
        let k = other.master_key(SrtpSuite::AesCm128HmacSha1_80).unwrap();
        assert!(!seen.contains(&inline(&k)));
        assert!(!format!("{other:?}").contains("inline"));
    }

    /// The key's base64 text as SDES writes it (tests only).
    fn inline(k: &MasterKey) -> String {
        let a = CryptoAttribute { tag: 1, suite: k.suite(), keys: vec![k.clone()] };
        let mut out = Vec::new();
        a.write_value(&mut out);
        let text = String::from_utf8(out).unwrap();
        text.split("inline:").nth(1).unwrap().to_string()
    }
}
