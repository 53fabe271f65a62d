//! Judging identifiers (tags, branches, Call-IDs) for issue 26: none may
//! repeat, across processes and runs too, and the ones each process makes
//! must not be a counter: at least 32 bits vary from one to the next (RFC
//! 3261 section 19.3 asks that much randomness of tags).

use std::collections::{BTreeMap, HashMap, HashSet};

/// What is wrong with one family of identifiers: `ids` maps each source
/// (a process) to its identifiers in the order it made them. Repeats
/// anywhere (across sources too) are faults, and so is a source whose
/// identifiers vary in fewer than `min_bits` bits: the bits are estimated
/// per character position (aligned at the start and, separately, at the
/// end; the smaller sum counts) as log2 of the distinct characters seen
/// there, which a counter fills only in its last few positions.
pub fn identifier_faults(family: &str, ids: &BTreeMap<String, Vec<String>>, min_bits: f64) -> Vec<String> {
    let mut faults = Vec::new();
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut repeats = Vec::new();
    for (source, list) in ids {
        for id in list {
            if let Some(first) = seen.insert(id, source) {
                repeats.push(format!("{id} ({first} and {source})"));
            }
        }
    }
    if !repeats.is_empty() {
        let shown: Vec<&String> = repeats.iter().take(5).collect();
        faults.push(format!("{family}: {} repeated, e.g. {shown:?}", repeats.len()));
    }
    for (source, list) in ids {
        let bits = varying_bits(list);
        if bits < min_bits {
            let sample: Vec<&String> = list.iter().take(4).collect();
            faults.push(format!(
                "{family} from {source}: about {bits:.1} bits vary (< {min_bits}), e.g. {sample:?}"
            ));
        }
    }
    faults
}

/// The per-position estimate of `identifier_faults`.
pub fn varying_bits(ids: &[String]) -> f64 {
    let chars: Vec<Vec<char>> = ids.iter().map(|s| s.chars().collect()).collect();
    let longest = chars.iter().map(Vec::len).max().unwrap_or(0);
    let sum = |from_end: bool| -> f64 {
        (0..longest)
            .map(|i| {
                let seen: HashSet<Option<char>> =
                    chars
                        .iter()
                        .map(|c| {
                            if from_end {
                                c.len().checked_sub(i + 1).map(|j| c[j])
                            } else {
                                c.get(i).copied()
                            }
                        })
                        .collect();
                (seen.len() as f64).log2()
            })
            .sum()
    };
    sum(false).min(sum(true))
}

/// The estimate tells the counters of old from random identifiers, and
/// repeats across sources are found (runs with the tests that use it).
pub fn check_the_estimate() {
    let counter: Vec<String> = (1..=5_000u32).map(|n| format!("{n:#x}")).collect();
    assert!(varying_bits(&counter) < 20.0, "{}", varying_bits(&counter));
    let random: Vec<String> = (0..1_000u64)
        .map(|n| {
            format!("{:016x}", n.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29) ^ 0x5851_f42d_4c95_7f2d)
        })
        .collect();
    assert!(varying_bits(&random) >= 60.0, "{}", varying_bits(&random));
    let mut ids = BTreeMap::new();
    ids.insert("a".to_string(), counter.clone());
    ids.insert("b".to_string(), counter);
    let faults = identifier_faults("tags", &ids, 32.0);
    assert!(faults[0].starts_with("tags: 5000 repeated"), "{faults:?}");
    assert_eq!(faults.len(), 3, "{faults:?}");
}
