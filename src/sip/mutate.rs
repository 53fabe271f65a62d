//! Test support: deterministic mutations of seed strings (insert, remove
//! or replace bytes from an alphabet), for the tests that hold a one-pass
//! fast path to its general parser.

/// Each seed, then `rounds - 1` copies with up to `max_edits` random edits.
pub(crate) fn mutations(seeds: &[&str], alphabet: &[u8], rounds: usize, max_edits: usize) -> Vec<String> {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut out = Vec::with_capacity(seeds.len() * rounds);
    for base in seeds {
        for round in 0..rounds {
            let mut v = base.as_bytes().to_vec();
            for _ in 0..round % (max_edits + 1) {
                let r = xorshift(&mut seed);
                let at = (r as usize) % (v.len() + 1);
                let c = alphabet[((r >> 32) as usize) % alphabet.len()];
                match (r >> 20) % 3 {
                    0 => v.insert(at, c),
                    1 if at < v.len() => {
                        v.remove(at);
                    }
                    _ if at < v.len() => v[at] = c,
                    _ => {}
                }
            }
            // The alphabets are ASCII, so every mutation stays UTF-8.
            out.push(String::from_utf8(v).expect("ASCII edits of UTF-8"));
        }
    }
    out
}

/// The next number of a xorshift64 sequence: the tests' deterministic randomness.
pub(crate) fn xorshift(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// `len` bytes drawn from `alphabet`.
pub(crate) fn random_bytes(seed: &mut u64, len: usize, alphabet: &[u8]) -> Vec<u8> {
    (0..len).map(|_| alphabet[(xorshift(seed) % alphabet.len() as u64) as usize]).collect()
}
