//! Which shard owns a datagram: `hash(Call-ID) % shards`, with the Call-ID
//! found by a cheap line scan (long `Call-ID:` or compact `i:`, any case,
//! no full parse). The same hash routes application commands.

/// The Call-ID value of a raw SIP datagram, if one is findable.
pub fn scan_call_id(datagram: &[u8]) -> Option<&[u8]> {
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', datagram) {
        let line = &datagram[start..nl];
        start = nl + 1;
        if line.is_empty() || line == b"\r" {
            return None; // end of headers
        }
        let name_len = if line.len() > 7 && line[..7].eq_ignore_ascii_case(b"call-id") {
            7
        } else if matches!(line[0], b'i' | b'I') {
            1
        } else {
            continue;
        };
        let rest = &line[name_len..];
        let colon = rest.iter().position(|&c| c != b' ' && c != b'\t')?;
        if rest[colon] != b':' {
            continue;
        }
        let value = trim(&rest[colon + 1..]);
        return (!value.is_empty()).then_some(value);
    }
    None
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t' | b'\r', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\r'] = s {
        s = rest;
    }
    s
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
