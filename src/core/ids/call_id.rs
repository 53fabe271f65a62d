//! Which shard owns a SIP Call-ID: a hash every thread agrees on.

/// FNV-1a's 64-bit offset basis and prime (the kernel's steering program
/// hashes with the same).
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
pub(crate) const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a: stable across threads and runs, so every shard and every
/// application thread agree on the owner.
pub fn call_id_hash(call_id: &[u8]) -> u64 {
    call_id.iter().fold(FNV_OFFSET, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// The shard that owns a Call-ID.
pub fn owner_shard(call_id: &[u8], shards: usize) -> usize {
    (call_id_hash(call_id) % shards.max(1) as u64) as usize
}
