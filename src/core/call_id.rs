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
