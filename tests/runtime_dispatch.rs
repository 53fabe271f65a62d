//! Call-ID dispatch (the cheap scan and the owner hash) and the merge of
//! per-shard counters.

use sipbench::core::CoreStats;
use sipbench::runtime::{call_id_hash, owner_shard, scan_call_id};

fn dgram(headers: &str) -> Vec<u8> {
    format!("INVITE sip:a@127.0.0.1 SIP/2.0\r\n{headers}\r\nv=0\r\nCall-ID: body-is-not-a-header\r\n")
        .into_bytes()
}

#[test]
fn finds_long_and_compact_call_id_in_any_case() {
    let cases = [
        ("Via: x\r\nCall-ID: abc@host\r\n", "abc@host"),
        ("call-id:abc@host  \r\n", "abc@host"),
        ("CALL-ID \t: abc@host\r\n", "abc@host"),
        ("i: short@h\r\n", "short@h"),
        ("I :short@h\r\n", "short@h"),
        ("If-Match: nope\r\ni: real\r\n", "real"),
    ];
    for (headers, want) in cases {
        let d = dgram(headers);
        assert_eq!(scan_call_id(&d), Some(want.as_bytes()), "{headers:?}");
    }
}

#[test]
fn stops_at_the_end_of_headers_and_rejects_empty_values() {
    // The only Call-ID line is in the body: not a header.
    assert_eq!(scan_call_id(&dgram("Via: x\r\n")), None);
    assert_eq!(scan_call_id(&dgram("Call-ID:   \r\n")), None);
    assert_eq!(scan_call_id(b"garbage without lines"), None);
    assert_eq!(scan_call_id(b""), None);
}

#[test]
fn owner_is_stable_and_spreads() {
    assert_eq!(call_id_hash(b"abc"), call_id_hash(b"abc"));
    assert_ne!(call_id_hash(b"abc"), call_id_hash(b"abd"));
    let mut per_shard = [0u32; 4];
    for i in 0..4000 {
        let id = format!("{i}-1234@127.0.0.1");
        let s = owner_shard(id.as_bytes(), 4);
        assert_eq!(s, owner_shard(id.as_bytes(), 4));
        per_shard[s] += 1;
    }
    assert!(per_shard.iter().all(|&n| (800..1200).contains(&n)), "uneven spread: {per_shard:?}");
    assert_eq!(owner_shard(b"x", 0), 0, "no shards is treated as one");
}

#[test]
fn merged_peak_is_the_largest_not_the_sum() {
    let a =
        CoreStats { peak_active_calls: 700, active_calls: 3, calls_completed: 10, ..CoreStats::default() };
    let b = CoreStats { peak_active_calls: 650, active_calls: 4, calls_completed: 5, ..CoreStats::default() };
    let mut total = CoreStats::default();
    total.merge(&a);
    total.merge(&b);
    assert_eq!(total.peak_active_calls, 700);
    assert_eq!((total.active_calls, total.calls_completed), (7, 15));
}
