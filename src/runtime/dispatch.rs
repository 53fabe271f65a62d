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

pub use crate::core::{call_id_hash, owner_shard};
