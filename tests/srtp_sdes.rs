//! The `a=crypto` value (RFC 4568): parsing with its strict checks, our
//! offers and answers, writing back, and keys that never show in Debug.

use sipbench::media::{CryptoAttribute, SrtpError, SrtpKeys, SrtpSuite};

fn written(a: &CryptoAttribute) -> String {
    let mut out = Vec::new();
    a.write_value(&mut out);
    String::from_utf8(out).unwrap()
}

const KEY_30: &str = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";

#[test]
fn rfc4568_examples_parse_and_write_back() {
    let v = format!("1 AES_CM_128_HMAC_SHA1_80 inline:{KEY_30}|2^20|1:4");
    let a = CryptoAttribute::parse(&v).unwrap();
    assert_eq!((a.tag, a.suite, a.keys.len()), (1, SrtpSuite::AesCm128HmacSha1_80, 1));
    assert_eq!(a.keys[0].lifetime(), Some(1 << 20));
    let mki = a.keys[0].mki().unwrap();
    assert_eq!((mki.value(), mki.len()), (1, 4));
    assert_eq!(written(&a), v);
    // Decimal lifetime, two keys with MKIs, tabs and a window hint.
    let two = format!("2\tAES_CM_128_HMAC_SHA1_32  inline:{KEY_30}|1048575|1:2;inline:{KEY_30}|2:2 WSH=128");
    let a = CryptoAttribute::parse(&two).unwrap();
    assert_eq!((a.tag, a.keys.len(), a.keys[0].lifetime()), (2, 2, Some(1_048_575)));
    assert_eq!(
        written(&a),
        format!("2 AES_CM_128_HMAC_SHA1_32 inline:{KEY_30}|1048575|1:2;inline:{KEY_30}|2:2")
    );
    // GCM: 28 bytes, padded base64 (unpadded accepted too).
    let gcm = "3 AEAD_AES_128_GCM inline:AAECAwQFBgcICQoLDA0OD6ChoqOkpaanqKmqqw==";
    let a = CryptoAttribute::parse(gcm).unwrap();
    assert_eq!(written(&a), gcm);
    assert!(CryptoAttribute::parse(gcm.trim_end_matches('=')).is_ok());
    // An optional (`-`) unknown session parameter is ignored.
    assert!(CryptoAttribute::parse(&format!("4 AES_CM_128_HMAC_SHA1_80 inline:{KEY_30} -FOO=1")).is_ok());
}

#[test]
fn bad_values_are_refused_with_a_reason() {
    let bad = |v: String| CryptoAttribute::parse(&v).unwrap_err();
    let k = KEY_30;
    for v in [
        format!("AES_CM_128_HMAC_SHA1_80 inline:{k}"),
        format!("1234567890 AES_CM_128_HMAC_SHA1_80 inline:{k}"),
        format!("1 F8_128_HMAC_SHA1_80 inline:{k}"),
        "1 AES_CM_128_HMAC_SHA1_80".into(),
        format!("1 AES_CM_128_HMAC_SHA1_80 uri:{k}"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{}", &k[..36]),
        format!("1 AEAD_AES_128_GCM inline:{k}"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k}A"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k}|2^49"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k}|0"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k}|2^20|2^20"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k}|1:4|2^20"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k}|256:1"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k}|1:0"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k}|1:129"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k};inline:{k}"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k}|1:4;inline:{k}|1:4"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k}|1:4;inline:{k}|2:2"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k} KDR=10"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k} UNENCRYPTED_SRTP"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k} UNENCRYPTED_SRTCP"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k} UNAUTHENTICATED_SRTP"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k} FEC_ORDER=FEC_SRTP"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k} WSH=32"),
        format!("1 AES_CM_128_HMAC_SHA1_80 inline:{k} -"),
    ] {
        assert!(matches!(bad(v.clone()), SrtpError::BadKey(_)), "{v}");
    }
}

#[test]
fn answer_repeats_tag_and_suite_with_a_fresh_key_and_pairs_into_stream_keys() {
    let offer = CryptoAttribute::parse(&format!("7 AES_CM_128_HMAC_SHA1_32 inline:{KEY_30}")).unwrap();
    let ours = offer.answer().unwrap();
    assert_eq!((ours.tag, ours.suite), (7, SrtpSuite::AesCm128HmacSha1_32));
    assert_ne!(written(&ours), written(&offer), "our own key, not the offer's");
    assert_ne!(written(&offer.answer().unwrap()), written(&ours), "a fresh key each time");
    let back = CryptoAttribute::parse(&written(&ours)).unwrap();
    assert_eq!(back, ours, "what we write parses back to the same key");
    let keys = SrtpKeys::from_attributes(&offer, &ours).unwrap();
    assert_eq!(keys.suite(), SrtpSuite::AesCm128HmacSha1_32);
    assert_eq!((keys.inbound(), keys.outbound()), (&offer.keys[..], &ours.keys[0]));
    let other = CryptoAttribute::offer(8, SrtpSuite::AesCm128HmacSha1_32).unwrap();
    assert!(SrtpKeys::from_attributes(&offer, &other).is_err(), "tags differ");
    let other = CryptoAttribute::offer(7, SrtpSuite::AeadAes128Gcm).unwrap();
    assert!(SrtpKeys::from_attributes(&offer, &other).is_err(), "suites differ");
}

#[test]
fn debug_output_of_attributes_and_keys_shows_no_key_material() {
    let offer = CryptoAttribute::parse(&format!("1 AES_CM_128_HMAC_SHA1_80 inline:{KEY_30}")).unwrap();
    let keys = SrtpKeys::from_attributes(&offer, &offer.answer().unwrap()).unwrap();
    let (inbound, outbound) = keys.contexts().unwrap();
    let shown = format!("{offer:?} {keys:#?} {inbound:?} {outbound:?}");
    assert!(shown.contains("redacted"), "{shown}");
    assert!(!shown.contains(&KEY_30[..8]), "{shown}");
    // No byte list of the key either: the key starts 0x59 0x53 = 89, 83.
    assert!(!shown.contains("89, 83"), "{shown}");
}
