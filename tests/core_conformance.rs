//! Issue 26, protocol conformance, sans-IO: strict where it matters
//! (what a response echoes, the methods and URI schemes we serve, the
//! content the caller accepts), liberal where it helps (escaped control
//! bytes in quoted strings), and every routable malformed request
//! answered. The RFC 4475 messages themselves run in `core_rfc4475.rs`.

mod common;

use bytes::Bytes;
use common::*;
use sipbench::core::{CoreConfig, UriSchemes};
use sipbench::dialog::CallPolicy;
use sipbench::sip::Message;

fn harness() -> Harness {
    Harness::with_policy(CallPolicy::default())
}

fn statuses(out: &[Message]) -> Vec<u16> {
    out.iter().filter_map(|m| m.status_code()).collect()
}

/// A request of `uac`'s with its Request-URI replaced.
fn with_uri(req: Bytes, uri: &str) -> Bytes {
    let text = String::from_utf8(req.to_vec()).unwrap();
    Bytes::from(text.replacen("sip:service@127.0.0.1:5060 SIP/2.0", &format!("{uri} SIP/2.0"), 1))
}

/// A request of `uac`'s with one header line replaced (`name: ...`).
fn with_header(req: Bytes, name: &str, line: &str) -> Bytes {
    let text = String::from_utf8(req.to_vec()).unwrap();
    let out: Vec<String> = text
        .split("\r\n")
        .map(|l| if l.starts_with(&format!("{name}:")) { line.to_string() } else { l.to_string() })
        .collect();
    Bytes::from(out.join("\r\n"))
}

/// An answered, ACKed call.
fn established(h: &mut Harness, i: u64) -> UacCall {
    let mut uac = UacCall::new(i);
    uac.learn_tag(only(&h.send(uac.invite()), "200 INVITE"));
    h.send(uac.ack_2xx(1));
    uac
}

/// RFC 3261 §11.2: an OPTIONS 200 tells Allow, Accept, Accept-Encoding,
/// Accept-Language and Supported, in a dialog or out of one; Allow lists
/// what we serve (REGISTER only with a registrar).
#[test]
fn options_200_tells_our_capabilities() {
    let mut h = harness();
    let out = h.send(UacCall::new(1).request("OPTIONS", "z9hG4bK-cap", 1, "", None));
    let mut uac = established(&mut h, 2);
    let inside = h.send(uac.in_dialog("OPTIONS", None));
    for ok in [only(&out, "200 OPTIONS"), only(&inside, "200 OPTIONS")] {
        let allow = hdr(ok, "Allow").unwrap();
        assert!(["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS"].iter().all(|m| allow.contains(m)), "{allow}");
        assert!(!allow.contains("REGISTER"), "{allow}");
        assert_eq!(hdr(ok, "Accept"), Some("application/sdp"));
        assert_eq!(hdr(ok, "Accept-Encoding"), Some("identity"));
        assert_eq!(hdr(ok, "Accept-Language"), Some("en"));
        assert_eq!(hdr(ok, "Supported"), Some("100rel"), "reliable provisionals (RFC 3262)");
    }
    assert_eq!(statuses(&h.send(uac.in_dialog("BYE", None))), [200]);
    h.drain();
}

/// RFC 3261 §8.2.1: a method we know but do not serve gets 405, one we do
/// not know 501, both with Allow, in a dialog and out of one; REGISTER is
/// one we do not serve without a registrar.
#[test]
fn methods_we_do_not_serve_get_405_and_unknown_ones_501() {
    let mut h = harness();
    let mut uac = established(&mut h, 1);
    let methods = [("SUBSCRIBE", 405), ("PUBLISH", 405), ("REGISTER", 405), ("FOO", 501)];
    for (i, (method, code)) in methods.into_iter().enumerate() {
        let outside = UacCall::new(100 + i as u64).request(method, &format!("z9hG4bK-{method}"), 1, "", None);
        for (where_, out) in [("outside", h.send(outside)), ("inside", h.send(uac.in_dialog(method, None)))] {
            let resp = only(&out, &format!("{code} {method}"));
            assert!(hdr(resp, "Allow").is_some_and(|a| a.contains("INVITE")), "{method} {where_}");
            assert!(resp.to().unwrap().tag().is_some(), "{method} {where_}: a final response has a To tag");
        }
    }
    assert_eq!(statuses(&h.send(uac.in_dialog("BYE", None))), [200], "the call was untouched");
    h.drain();
}

/// RFC 3261 §8.2.2.1: a Request-URI scheme we do not serve gets 416 (sip,
/// sips and tel are served unless configured otherwise); a Request-URI
/// that has no scheme at all gets 400.
#[test]
fn request_uri_schemes_we_do_not_serve_get_416() {
    let mut h = harness();
    let uac = UacCall::new(1);
    let options = |branch: &str, uri: &str| with_uri(uac.request("OPTIONS", branch, 1, "", None), uri);
    assert_eq!(statuses(&h.send(options("z9hG4bK-s1", "foo:bar"))), [416]);
    assert_eq!(statuses(&h.send(options("z9hG4bK-s2", "soap.beep://x"))), [416]);
    assert_eq!(statuses(&h.send(options("z9hG4bK-s3", "<sip:a@b>"))), [400]);
    assert_eq!(statuses(&h.send(options("z9hG4bK-s4", "tel:+15551234"))), [200]);
    assert_eq!(statuses(&h.send(options("z9hG4bK-s5", "SIPS:a@b"))), [200]);
    // An INVITE to an unknown scheme makes no call.
    let invite = with_uri(UacCall::new(2).invite(), "nobodyKnowsThisScheme:x");
    assert_eq!(statuses(&h.send(invite)), [416]);
    assert_eq!(h.core.stats().calls_received, 0);

    let no_tel = UriSchemes { tel: false, ..UriSchemes::default() };
    let mut h = Harness::new(CoreConfig { uri_schemes: no_tel, ..CoreConfig::default() });
    assert_eq!(statuses(&h.send(options("z9hG4bK-s6", "tel:+15551234"))), [416]);
    assert_eq!(statuses(&h.send(options("z9hG4bK-s7", "sip:a@b"))), [200]);
}

/// An engine that would serve no scheme at all is refused when built.
#[test]
fn the_builder_refuses_serving_no_uri_scheme() {
    let none = UriSchemes { sip: false, sips: false, tel: false };
    let err = sipbench::Config::builder().uri_schemes(none).build().unwrap_err();
    assert_eq!(err.field, "uri_schemes");
    assert!(sipbench::Config::builder().uri_schemes(UriSchemes { sip: false, ..none }).build().is_err());
    assert!(sipbench::Config::builder().uri_schemes(UriSchemes { tel: true, ..none }).build().is_ok());
}

/// RFC 4475 §3.3.15: an INVITE whose Accept rules out application/sdp
/// gets 406 (our 200 would carry SDP); a wildcard or no Accept is fine; a
/// re-INVITE gets the same and the call goes on.
#[test]
fn accept_without_sdp_gets_406() {
    let mut h = harness();
    for (i, (accept, code)) in [
        ("Accept: text/plain\r\n", 406),
        ("Accept: \r\n", 406),
        ("Accept: application/*\r\n", 200),
        ("Accept: text/x, */*;q=0.1\r\n", 200),
        ("Accept: text/x\r\nAccept: Application/SDP\r\n", 200),
    ]
    .into_iter()
    .enumerate()
    {
        let uac = UacCall::new(10 + i as u64);
        let out = h.send(uac.invite_with(accept, Some(("application/sdp", &pcmu_offer()))));
        assert_eq!(statuses(&out), [code], "{accept:?}");
    }
    let mut uac = established(&mut h, 1);
    uac.cseq += 1;
    let b = uac.new_branch();
    let reinvite = uac.request(
        "INVITE",
        &b,
        uac.cseq,
        "Accept: text/plain\r\n",
        Some(("application/sdp", &pcmu_offer())),
    );
    assert_eq!(statuses(&h.send(reinvite)), [406]);
    assert_eq!(statuses(&h.send(uac.in_dialog("BYE", None))), [200]);
}

/// RFC 3264 §6.1: the answer lists the codecs in the offer's order.
#[test]
fn the_answer_keeps_the_offers_codec_order() {
    let mut h = harness();
    let offer = sdp(&[(8, "PCMA/8000"), (0, "PCMU/8000")], None);
    let out = h.send(UacCall::new(1).invite_with("", Some(("application/sdp", &offer))));
    let body = String::from_utf8(only(&out, "200 INVITE").body().to_vec()).unwrap();
    let m_line = body.lines().find(|l| l.starts_with("m=audio")).unwrap();
    assert!(m_line.ends_with(" RTP/AVP 8 0"), "{m_line}");
}

/// RFC 4475 §3.1.2.1: a Via with empty parameters is malformed: 400.
#[test]
fn a_via_with_empty_parameters_gets_400() {
    let mut h = harness();
    for (i, via) in [
        "Via: SIP/2.0/UDP 127.0.0.1:5061;;branch=z9hG4bK-e1",
        "Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-e2;",
        "Via: SIP/2.0/UDP 127.0.0.1:5061;=x;branch=z9hG4bK-e3",
    ]
    .into_iter()
    .enumerate()
    {
        let req = with_header(UacCall::new(i as u64).request("OPTIONS", "b", 1, "", None), "Via", via);
        let out = h.send(req);
        let resp = only(&out, "400 OPTIONS");
        assert!(resp.reason().contains("Via"), "{via}: {}", resp.reason());
    }
    assert_eq!(h.core.stats().bad_requests, 3);
}

/// RFC 4475 §3.1.2.14: every response echoes To and From, so one we
/// cannot read (LWS inside `< >`, an unbalanced quote) gets 400 rather
/// than a guess copied back.
#[test]
fn a_to_or_from_we_cannot_echo_gets_400() {
    let mut h = harness();
    let cases = [
        ("To", "To: \"Watson\" < sip:t.watson@example.org >"),
        ("To", "To: \"Watson <sip:t.watson@example.org>"),
        ("From", "From: < sip:sipp@127.0.0.1:5061 >;tag=1"),
    ];
    for (i, (name, line)) in cases.into_iter().enumerate() {
        let options = UacCall::new(i as u64).request("OPTIONS", &format!("z9hG4bK-n{i}"), 1, "", None);
        let resp = h.send(with_header(options, name, line));
        assert!(only(&resp, "400 OPTIONS").reason().contains(name), "{line}");
        let invite = UacCall::new(10 + i as u64).invite();
        assert_eq!(statuses(&h.send(with_header(invite, name, line))), [400], "{line}");
    }
    assert_eq!(h.core.stats().calls_received, 0);
}

/// RFC 3261 §25.1: `\` and any byte but CR and LF is a quoted-pair, so a
/// display name may escape NUL, BEL and DEL (RFC 4475 §3.1.1.2): served.
/// The same bytes unescaped make the datagram unreadable: dropped and
/// counted, nothing sent.
#[test]
fn escaped_control_bytes_in_quoted_strings_are_served() {
    let mut h = harness();
    let escaped = "To: \"BEL:\\\x07 NUL:\\\0 DEL:\\\x7f\" <sip:service@127.0.0.1:5060>";
    let options = UacCall::new(1).request("OPTIONS", "z9hG4bK-q1", 1, "", None);
    let out = h.send(with_header(options, "To", escaped));
    assert_eq!(only(&out, "200 OPTIONS").to().unwrap().display_name, Some("BEL:\\\x07 NUL:\\\0 DEL:\\\x7f"));
    let bare = "To: \"NUL:\0\" <sip:service@127.0.0.1:5060>";
    let options = UacCall::new(2).request("OPTIONS", "z9hG4bK-q2", 1, "", None);
    assert!(h.send(with_header(options, "To", bare)).is_empty());
    assert_eq!(h.core.stats().parse_errors, 1);
}

/// Every routable malformed request gets an answer naming the fault, with
/// a To tag of ours (§8.2.6.2): framing, start line, version (505),
/// missing headers, no end of headers.
#[test]
fn routable_malformed_requests_are_answered() {
    let mut h = harness();
    let good =
        String::from_utf8(UacCall::new(1).request("OPTIONS", "z9hG4bK-m", 1, "", None).to_vec()).unwrap();
    let cases: [(String, u16, &str); 6] = [
        (good.replace("Content-Length: 0", "Content-Length: 40"), 400, "Content-Length"),
        (good.replace("Content-Length: 0", "Content-Length: -1"), 400, "Content-Length"),
        (good.replace("OPTIONS sip:", "OPTIONS  sip:"), 400, "Request"),
        (good.replace("SIP/2.0\r\nVia", "SIP/3.0\r\nVia"), 505, "Version"),
        (good.replace("Call-ID: 1-test@127.0.0.1\r\n", ""), 400, "Call-ID"),
        (good.trim_end_matches("\r\n").to_string() + "\r\n", 400, "Headers"),
    ];
    for (text, code, cause) in cases {
        let out = h.send(Bytes::from(text.clone()));
        let resp = out.first().unwrap_or_else(|| panic!("no answer to {text:?}"));
        assert_eq!(resp.status_code(), Some(code), "{text:?}");
        assert!(resp.reason().contains(cause), "{}: {text:?}", resp.reason());
        assert!(resp.to().unwrap().tag().is_some(), "a To tag: {text:?}");
    }
    assert_eq!(h.core.stats().parse_errors, 6);
}
