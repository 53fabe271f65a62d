//! The engine-wide name of a call: the shard that owns it (the Call-ID's
//! hash owner) and its slot there. Copy, and cheap to route.

use crate::dialog::CallHandle;

/// Identifies one call in a running engine. Commands carrying it go
/// straight to the owning shard; a stale id (the call ended, its slot was
/// reused) is detected by the generation and answered with an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallId {
    /// The owning shard: `hash(Call-ID) % shards`.
    pub shard: u16,
    /// The call within that shard.
    pub handle: CallHandle,
}

impl CallId {
    /// The call `handle` on `shard`.
    pub fn new(shard: u16, handle: CallHandle) -> CallId {
        CallId { shard, handle }
    }
}

impl std::fmt::Display for CallId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}.{}", self.shard, self.handle.slot, self.handle.generation)
    }
}

/// FNV-1a: stable across threads and runs, so every shard and every
/// application thread agree on the owner.
pub fn call_id_hash(call_id: &[u8]) -> u64 {
    call_id.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The shard that owns a Call-ID.
pub fn owner_shard(call_id: &[u8], shards: usize) -> usize {
    (call_id_hash(call_id) % shards.max(1) as u64) as usize
}
