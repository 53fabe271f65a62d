//! The engine's handle on one call: the shard that owns it and its slot
//! there. Not the SIP Call-ID (a string the peers exchange): this is how
//! the application and the runtime name a call, Copy and cheap to route.

/// Identifies one call in a running engine. Commands carrying it go
/// straight to the owning shard; a stale handle (the call ended, its slot
/// was reused) is detected by the generation and answered with an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallHandle {
    pub(crate) shard: u16,
    pub(crate) slot: u32,
    pub(crate) generation: u32,
}

impl CallHandle {
    /// The call in `slot` (with this `generation`) on `shard`.
    pub const fn new(shard: u16, slot: u32, generation: u32) -> CallHandle {
        CallHandle { shard, slot, generation }
    }

    /// The owning shard: `hash(Call-ID) % shards`.
    pub fn shard(&self) -> u16 {
        self.shard
    }

    /// A key unique among the owning shard's calls over time (the media
    /// layer's stream key).
    pub fn stream_key(&self) -> u64 {
        (u64::from(self.slot) << 32) | u64::from(self.generation)
    }

    /// The handle on `shard` of the call with this stream key.
    pub fn from_stream_key(shard: u16, key: u64) -> CallHandle {
        CallHandle { shard, slot: (key >> 32) as u32, generation: key as u32 }
    }
}

impl std::fmt::Display for CallHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}.{}", self.shard, self.slot, self.generation)
    }
}
