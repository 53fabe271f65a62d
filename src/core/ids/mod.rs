//! Names: the engine's handle on a call (`CallHandle`), the SIP Call-ID's
//! owner shard, and the unguessable tokens this shard mints for tags,
//! branches and Call-IDs (`IdKey`).

mod call_id;
mod handle;
mod key;
mod token;

pub(crate) use call_id::{FNV_OFFSET, FNV_PRIME};
pub use call_id::{call_id_hash, owner_shard};
pub use handle::CallHandle;
pub use key::IdKey;
pub(crate) use token::Token;

pub(crate) use key::TokenCipher;

/// What a shard mints: tokens for tags, branches and Call-IDs, and
/// generations that tell a reused table slot from its last occupant.
#[derive(Debug)]
pub(crate) struct Minter {
    shard: u16,
    shards: u16,
    cipher: TokenCipher,
    tokens: u64,
    generation: u32,
}

impl Minter {
    pub(crate) fn new(shard: u16, shards: u16, key: &IdKey) -> Minter {
        Minter { shard, shards, cipher: TokenCipher::new(key), tokens: 0, generation: 0 }
    }

    /// A token for a tag, a branch or a nonce: 64 bits of a keyed
    /// permutation of this shard's counter, built on the stack.
    pub(crate) fn token(&mut self) -> Token {
        self.tokens += 1;
        self.cipher.token(self.shard, self.tokens)
    }

    /// A Via branch (RFC 3261 §8.1.1.7: the magic cookie, then a token).
    pub(crate) fn branch(&mut self) -> String {
        use crate::sip::MAGIC_COOKIE;
        let token = self.token();
        let mut branch = String::with_capacity(MAGIC_COOKIE.len() + token.len());
        branch.push_str(MAGIC_COOKIE);
        branch.push_str(&token);
        branch
    }

    /// An unguessable number (an RSeq's start, RFC 3262 §3).
    pub(crate) fn number(&mut self) -> u64 {
        self.tokens += 1;
        let b = self.cipher.block(self.shard, self.tokens, 2);
        u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
    }

    pub(crate) fn generation(&mut self) -> u32 {
        self.generation = self.generation.wrapping_add(1);
        self.generation
    }

    /// A Call-ID whose hash this shard owns, so every response and
    /// in-dialog request lands here: 128 unguessable bits and a suffix
    /// tried until the hash fits (one in `shards` does).
    pub(crate) fn call_id(&mut self) -> String {
        self.tokens += 1;
        let random = Token::base32(&self.cipher.block(self.shard, self.tokens, 1));
        let shards = usize::from(self.shards.max(1));
        let mut id = String::with_capacity(48);
        for attempt in 0u32.. {
            id.clear();
            id.push_str(&random);
            id.push('-');
            id.push_str(itoa::Buffer::new().format(attempt));
            id.push_str("@sipbench");
            if owner_shard(id.as_bytes(), shards) == usize::from(self.shard) {
                break;
            }
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens never repeat within a shard or across shards of one key,
    /// another key gives others, and Call-IDs hash to their shard.
    #[test]
    fn unique_keyed_and_routed() {
        let key = IdKey::from_bytes([7; 16]);
        let mut seen = std::collections::HashSet::new();
        for shard in 0..4u16 {
            let mut m = Minter::new(shard, 4, &key);
            for _ in 0..2000 {
                assert!(seen.insert(m.token().to_string()));
                let id = m.call_id();
                assert_eq!(owner_shard(id.as_bytes(), 4), usize::from(shard), "{id}");
                assert!(seen.insert(id));
                assert!(m.branch().starts_with("z9hG4bK"));
            }
        }
        let mut other = Minter::new(0, 4, &IdKey::from_bytes([8; 16]));
        assert!(!seen.contains(&other.token().to_string()));
        let mut again = Minter::new(2, 4, &key);
        assert_eq!(&*again.token(), key.token(2, 1), "the predictor names the first token");
    }
}
