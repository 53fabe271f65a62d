//! Digest authentication against the RFCs' own examples (RFC 2617 §3.5,
//! RFC 7616 §3.9.1 for MD5 and SHA-256) and challenge parsing.

use sipbench::sip::digest::{Challenge, DigestAlgorithm};

#[test]
fn rfc_2617_example_response() {
    let ch = Challenge::parse(
        "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", \
         nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
    )
    .unwrap();
    assert_eq!(ch.algorithm, DigestAlgorithm::Md5, "MD5 when none is named");
    let v = ch.answer("Mufasa", "Circle Of Life", "GET", "/dir/index.html", "0a4f113b", 1);
    assert!(v.contains("response=\"6629fae49393a05397450978507c4ef1\""), "{v}");
    assert!(v.contains("nc=00000001") && v.contains("qop=auth") && v.contains("opaque=\"5ccc069c"), "{v}");
}

#[test]
fn rfc_7616_examples_md5_and_sha256() {
    for (alg, want) in [
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ] {
        let header = format!(
            "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm={alg}, \
             nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", \
             opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""
        );
        let ch = Challenge::parse(&header).unwrap();
        let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        let v = ch.answer("Mufasa", "Circle of Life", "GET", "/dir/index.html", cnonce, 1);
        assert!(v.contains(&format!("response=\"{want}\"")), "{alg}: {v}");
        assert!(v.contains(&format!("algorithm={alg}")), "{v}");
    }
}

#[test]
fn challenges_we_cannot_answer_are_refused() {
    assert!(Challenge::parse("Basic realm=\"x\"").is_none(), "not digest");
    assert!(Challenge::parse("Digest nonce=\"n\"").is_none(), "no realm");
    assert!(Challenge::parse("Digest realm=\"r\"").is_none(), "no nonce");
    assert!(Challenge::parse("Digest realm=\"r\", nonce=\"n\", algorithm=MD5-sess").is_none());
    let ch = Challenge::parse("digest REALM=\"a, b\",nonce=n1,stale=TRUE").unwrap();
    assert_eq!((ch.realm, ch.nonce, ch.stale, ch.qop_auth), ("a, b", "n1", true, false));
    let v = ch.answer("u", "p", "INVITE", "sip:b@h", "c", 1);
    assert!(!v.contains("qop") && !v.contains("cnonce"), "no qop offered: {v}");
}
