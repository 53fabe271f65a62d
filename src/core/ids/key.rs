//! The secret behind a core's identifiers: an AES-128 key, drawn from the
//! operating system by default. Tags, branches and Call-IDs are AES
//! encryptions of (counter, shard) under it: unique within a process (a
//! block cipher is a permutation), unrelated across processes and runs,
//! and unguessable without the key (RFC 3261 §8.1.1.4, §8.1.1.7, §19.3).

use aes::Aes128Enc;
use aes::cipher::{BlockCipherEncrypt, KeyInit};

use super::token::Token;

/// The key a core's identifiers are made with. Cores of one engine share
/// it (their shard numbers keep them apart). `Default` draws a fresh one
/// from the operating system; `from_bytes` makes a run repeatable (tests,
/// benchmarks).
#[derive(Clone)]
pub struct IdKey([u8; 16]);

impl IdKey {
    /// A fresh random key from the operating system.
    pub fn from_os() -> IdKey {
        let mut k = [0u8; 16];
        if getrandom::fill(&mut k).is_err() {
            // std's hasher keys come from the OS too, by another path.
            use std::hash::{BuildHasher, Hasher};
            for half in k.chunks_mut(8) {
                let mut h = std::collections::hash_map::RandomState::new().build_hasher();
                h.write_usize(half.as_ptr() as usize);
                half.copy_from_slice(&h.finish().to_le_bytes());
            }
        }
        IdKey(k)
    }

    /// A fixed key: the same identifiers in the same order on every run.
    pub fn from_bytes(key: [u8; 16]) -> IdKey {
        IdKey(key)
    }

    /// The `n`-th token (counting from 1) a core with this key mints on
    /// `shard`: its n-th tag, branch suffix or nonce, in minting order.
    /// For tests and benchmarks that replay a core with a fixed key.
    pub fn token(&self, shard: u16, n: u64) -> String {
        TokenCipher::new(self).token(shard, n).to_string()
    }
}

impl Default for IdKey {
    fn default() -> IdKey {
        IdKey::from_os()
    }
}

impl std::fmt::Debug for IdKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdKey(..)")
    }
}

/// The key schedule, expanded once per core.
pub(crate) struct TokenCipher(Aes128Enc);

impl TokenCipher {
    pub(crate) fn new(key: &IdKey) -> TokenCipher {
        TokenCipher(Aes128Enc::new(&key.0.into()))
    }

    /// 128 bits for counter `n` of `shard` (`kind` separates uses).
    #[inline]
    pub(crate) fn block(&self, shard: u16, n: u64, kind: u8) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&n.to_le_bytes());
        b[8..10].copy_from_slice(&shard.to_le_bytes());
        b[10] = kind;
        let mut block = b.into();
        self.0.encrypt_block(&mut block);
        block.into()
    }

    /// A 64-bit token (13 base-32 characters) for counter `n`.
    #[inline]
    pub(crate) fn token(&self, shard: u16, n: u64) -> Token {
        let b = self.block(shard, n, 0);
        Token::base32(&b[..8])
    }
}

impl std::fmt::Debug for TokenCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCipher(..)")
    }
}
