//! Which shard owns a SIP Call-ID: a hash every thread agrees on.

/// FNV-1a: stable across threads and runs, so every shard and every
/// application thread agree on the owner.
pub fn call_id_hash(call_id: &[u8]) -> u64 {
    call_id.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The shard that owns a Call-ID.
pub fn owner_shard(call_id: &[u8], shards: usize) -> usize {
    (call_id_hash(call_id) % shards.max(1) as u64) as usize
}
