//! Names: the engine's handle on a call (`CallHandle`), the SIP Call-ID's
//! owner shard, and the tokens this shard mints for tags and branches.

mod call_id;
mod handle;
mod token;

pub use call_id::{call_id_hash, owner_shard};
pub use handle::CallHandle;
pub(crate) use token::Token;

/// What a shard mints: tokens for tags, branches and Call-IDs, and
/// generations that tell a reused table slot from its last occupant.
#[derive(Debug)]
pub(crate) struct Minter {
    shard: u16,
    shards: u16,
    tokens: u64,
    generation: u32,
}

impl Minter {
    pub(crate) fn new(shard: u16, shards: u16) -> Minter {
        Minter { shard, shards, tokens: 0, generation: 0 }
    }

    /// A token unique to this shard, for tags and branches: `<shard>x<n>`
    /// in hex, built on the stack (no allocation per call).
    pub(crate) fn token(&mut self) -> Token {
        self.tokens += 1;
        Token::id(self.shard, self.tokens)
    }

    /// A Via branch (RFC 3261 §8.1.1.7: the magic cookie, then a token).
    pub(crate) fn branch(&mut self) -> String {
        format!("z9hG4bK{}", &*self.token())
    }

    pub(crate) fn generation(&mut self) -> u32 {
        self.generation = self.generation.wrapping_add(1);
        self.generation
    }

    /// A Call-ID whose hash this shard owns, so every response and
    /// in-dialog request lands here (a few tries: one in `shards` fits).
    pub(crate) fn call_id(&mut self) -> String {
        let token = self.token();
        let shards = usize::from(self.shards.max(1));
        let mut id = String::with_capacity(40);
        for attempt in 0u32.. {
            id.clear();
            id.push_str(&token);
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
