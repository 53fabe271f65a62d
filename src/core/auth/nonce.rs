//! Stateless nonces: the time of issue (ms since the shards' common
//! epoch), the issuing shard and a counter, signed with a keyed MAC,
//! written in hex. The stamp and a fixed pad fill one AES block, so the
//! MAC is that block encrypted under the key (a block cipher is a secure
//! MAC of single fixed-length blocks), truncated to 96 bits: one AES
//! call where HMAC-SHA-256 costs two hash compressions. Any shard with
//! the key and the epoch checks a nonce without remembering it; a forged
//! or altered one fails the MAC, an old one is stale.

use std::time::{Duration, Instant};

use aes::Aes128Enc;
use aes::cipher::{BlockCipherEncrypt, KeyInit};
use subtle::ConstantTimeEq;

use crate::sip::digest::to_hex;

/// Bytes of the stamp (ms u64, shard u16, counter u32) and of the MAC.
const STAMP: usize = 14;
const TAG: usize = 12;
/// Length of a nonce in hex.
pub(crate) const NONCE_HEX: usize = 2 * (STAMP + TAG);

/// The key nonces are signed with (AES-128). Cores of one engine share
/// it.
#[derive(Clone)]
pub struct NonceKey([u8; 16]);

impl NonceKey {
    /// A fresh random key from the operating system.
    pub fn from_os() -> NonceKey {
        let mut k = [0u8; 16];
        if getrandom::fill(&mut k).is_err() {
            // std's hasher keys come from the OS too, by another path.
            use std::hash::{BuildHasher, Hasher};
            for part in k.chunks_mut(8) {
                let mut h = std::collections::hash_map::RandomState::new().build_hasher();
                h.write_usize(part.as_ptr() as usize);
                part.copy_from_slice(&h.finish().to_le_bytes());
            }
        }
        NonceKey(k)
    }

    /// A fixed key (tests, benchmarks).
    pub fn from_bytes(key: [u8; 16]) -> NonceKey {
        NonceKey(key)
    }
}

/// The truncated MAC of a stamp: the stamp and a pad naming this use,
/// one block, encrypted.
fn tag(cipher: &Aes128Enc, stamp: &[u8; STAMP]) -> [u8; TAG] {
    let mut b = [0u8; 16];
    b[..STAMP].copy_from_slice(stamp);
    b[STAMP..].copy_from_slice(b"nc");
    let mut block = b.into();
    cipher.encrypt_block(&mut block);
    let full: [u8; 16] = block.into();
    let mut t = [0u8; TAG];
    t.copy_from_slice(&full[..TAG]);
    t
}

impl std::fmt::Debug for NonceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NonceKey(..)")
    }
}

/// What a nonce turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NonceCheck {
    /// Ours and within its lifetime: `id` names it in the replay memory,
    /// `issued` is its age's origin (ms since the epoch).
    Fresh { id: u64, issued: u64 },
    /// Ours, but older than the lifetime.
    Stale,
    /// Not one of ours (forged, altered, another key or garbage).
    Invalid,
}

/// Mints and checks nonces for one shard.
pub(crate) struct Nonces {
    /// The key schedule, expanded once.
    cipher: Aes128Enc,
    epoch: Instant,
    shard: u16,
    counter: u32,
    lifetime_ms: u64,
}

impl std::fmt::Debug for Nonces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Nonces")
            .field("shard", &self.shard)
            .field("counter", &self.counter)
            .finish_non_exhaustive()
    }
}

impl Nonces {
    pub(crate) fn new(key: NonceKey, epoch: Instant, shard: u16, lifetime: Duration) -> Nonces {
        Nonces {
            cipher: Aes128Enc::new(&key.0.into()),
            epoch,
            shard,
            counter: 0,
            lifetime_ms: lifetime.as_millis() as u64,
        }
    }

    /// Milliseconds from the epoch to `now`.
    pub(crate) fn ms(&self, now: Instant) -> u64 {
        now.saturating_duration_since(self.epoch).as_millis() as u64
    }

    /// A new nonce issued at `now`.
    pub(crate) fn mint(&mut self, now: Instant) -> String {
        self.counter = self.counter.wrapping_add(1);
        let mut stamp = [0u8; STAMP];
        stamp[..8].copy_from_slice(&self.ms(now).to_be_bytes());
        stamp[8..10].copy_from_slice(&self.shard.to_be_bytes());
        stamp[10..].copy_from_slice(&self.counter.to_be_bytes());
        let mut whole = [0u8; STAMP + TAG];
        whole[..STAMP].copy_from_slice(&stamp);
        whole[STAMP..].copy_from_slice(&tag(&self.cipher, &stamp));
        to_hex(&whole)
    }

    /// Checks `nonce` at `now`.
    pub(crate) fn check(&self, nonce: &str, now: Instant) -> NonceCheck {
        let mut whole = [0u8; STAMP + TAG];
        if nonce.len() != NONCE_HEX || !from_hex(nonce.as_bytes(), &mut whole) {
            return NonceCheck::Invalid;
        }
        let stamp: [u8; STAMP] = whole[..STAMP].try_into().expect("stamp length");
        if !bool::from(tag(&self.cipher, &stamp).ct_eq(&whole[STAMP..])) {
            return NonceCheck::Invalid;
        }
        let issued = u64::from_be_bytes(stamp[..8].try_into().expect("8 bytes"));
        let now_ms = self.ms(now);
        // A stamp from the future is not ours to believe (another epoch).
        if issued > now_ms {
            return NonceCheck::Invalid;
        }
        if now_ms - issued > self.lifetime_ms {
            return NonceCheck::Stale;
        }
        // The MAC names the nonce: unique per stamp, and nobody without
        // the key can make two nonces collide.
        let id = u64::from_be_bytes(whole[STAMP..STAMP + 8].try_into().expect("8 bytes"));
        NonceCheck::Fresh { id, issued }
    }
}

/// Decodes hex into `out` (exactly filled); false on a non-hex digit.
fn from_hex(hex: &[u8], out: &mut [u8]) -> bool {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    for (o, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        match (digit(pair[0]), digit(pair[1])) {
            (Some(h), Some(l)) => *o = h << 4 | l,
            _ => return false,
        }
    }
    true
}
