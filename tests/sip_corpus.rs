//! The RFC 4475-style corpus in `tests/corpus/`: every valid message with
//! the values it must yield, every invalid one with the error it must give,
//! plus the parse caps and stream framing.

use std::path::Path;

use bytes::Bytes;
use sipbench::sip::*;

fn load(kind: &str, name: &str) -> Bytes {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(kind).join(format!("{name}.sip"));
    Bytes::from(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn names(kind: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(kind);
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok()?.strip_suffix(".sip").map(String::from))
        .collect();
    v.sort();
    v
}

fn vias(m: &Message) -> Vec<Via<'_>> {
    m.vias().collect::<Result<_, _>>().unwrap()
}

fn contacts(m: &Message) -> Vec<NameAddr<'_>> {
    m.contacts().collect::<Result<_, _>>().unwrap()
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

type Check = fn(&Message);

const VALID: &[(&str, Check)] = &[
    ("compact_forms", compact_forms),
    ("display_names", display_names),
    ("empty_reason", empty_reason),
    ("escaped_uri", escaped_uri),
    ("extra_octets", extra_octets),
    ("ipv6", ipv6),
    ("keepalive_prefix", keepalive_prefix),
    ("long_values", long_values),
    ("lowercase_version", lowercase_version),
    ("lws_folding", lws_folding),
    ("many_vias", many_vias),
    ("no_content_length", no_content_length),
    ("params", params),
    ("percent_method", percent_method),
    ("register_star", register_star),
    ("response_200", response_200),
    ("tel_uri", tel_uri),
    ("token_method", token_method),
    ("transports", transports),
    ("unknown_method", unknown_method),
    ("unknown_scheme", unknown_scheme),
    ("unusual_reason", unusual_reason),
];

#[test]
fn valid_corpus() {
    let listed: Vec<String> = VALID.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(names("valid"), listed, "every valid corpus file has a check, and only those");
    for (name, check) in VALID {
        let m = Message::parse(load("valid", name)).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        // What every valid message must give, whatever its shape.
        assert!(m.vias().count() > 0, "{name}");
        for v in m.vias() {
            v.unwrap_or_else(|e| panic!("{name}: Via {e:?}"));
        }
        m.from().unwrap_or_else(|e| panic!("{name}: From {e:?}"));
        m.to().unwrap_or_else(|e| panic!("{name}: To {e:?}"));
        assert!(!m.call_id().is_empty(), "{name}");
        m.cseq().unwrap_or_else(|e| panic!("{name}: CSeq {e:?}"));
        if let Some(cl) = m.content_length() {
            assert_eq!(cl.unwrap() as usize, m.body().len(), "{name}: Content-Length vs body");
        }
        check(&m);
    }
}

fn lws_folding(m: &Message) {
    assert_eq!(m.method(), Method::Invite);
    assert_eq!(m.request_uri(), "sip:carol@chicago.example.com;unknownparam");
    let ruri = m.parse_request_uri().unwrap();
    assert_eq!((ruri.user, ruri.host), (Some("carol"), Some(Host::Name("chicago.example.com"))));
    assert_eq!(ruri.param("unknownparam"), Some(""));
    let to = m.to().unwrap();
    assert_eq!((to.display_name, to.uri, to.bracketed), (None, "sip:carol@chicago.example.com", false));
    assert_eq!(to.tag(), Some("8321234356"));
    let from = m.from().unwrap();
    assert_eq!(from.display_name, Some(r#"Alice \"Al\" Liddell"#));
    assert_eq!(from.uri, "sip:alice@atlanta.example.com");
    assert_eq!(from.tag(), Some("7a9s3k1"));
    assert_eq!(m.max_forwards().unwrap().unwrap(), 68);
    assert_eq!(m.call_id(), "lws.7dhs83jsk@192.0.2.1");
    let cseq = m.cseq().unwrap();
    assert_eq!((cseq.seq, cseq.method, cseq.method_name), (9, Method::Invite, "INVITE"));
    let v = vias(m);
    assert_eq!(v.len(), 3);
    let got: Vec<_> =
        v.iter().map(|v| (v.protocol, v.version, v.transport, v.host, v.port, v.branch())).collect();
    assert_eq!(
        got,
        [
            ("SIP", "2.0", "UDP", "192.0.2.2", None, Some("z9hG4bKlws01")),
            ("SIP", "2.0", "TCP", "relay.example.com", None, Some("z9hG4bKlws02")),
            ("SIP", "2.0", "UDP", "192.168.255.111", None, Some("z9hG4bKlws03")),
        ]
    );
    let subject = m.header(HeaderName::Subject).unwrap();
    assert!(subject.contains("\r\n\t "), "folded value keeps its fold: {subject:?}");
    assert_eq!(words(subject), "folded subject line");
    assert_eq!(m.header_by_name("x-empty"), Some(""));
    assert_eq!(words(m.header_by_name("X-FANCY").unwrap()), "fancy value continued fancy value");
    assert_eq!(m.header_by_name("X-Unusual"), Some(";;,,;;,;"));
    let routes: Vec<_> = m.routes().collect::<Result<_, _>>().unwrap();
    assert_eq!(routes.len(), 1);
    let r = routes[0].parse_uri().unwrap();
    assert!(r.lr());
    assert_eq!((r.param("unknownwith"), r.param("unknown-no-value")), (Some("value"), Some("")));
    let c = contacts(m);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].display_name, Some(r#"Quoted string \"\""#));
    assert_eq!(c[0].uri, "sip:alice@atlanta.example.com");
    assert_eq!(
        (c[0].param("newparam"), c[0].param("secondparam"), c[0].param("q")),
        (Some("newvalue"), Some(""), Some("0.33"))
    );
    assert_eq!(m.content_type().unwrap().value, "application/sdp");
    assert_eq!(m.body().len(), 132);
    assert!(m.body().starts_with(b"v=0\r\n"));
}

fn escaped_uri(m: &Message) {
    let ruri = m.parse_request_uri().unwrap();
    assert_eq!(ruri.user, Some("%61lice"));
    assert_eq!(ruri.user_unescaped().unwrap(), "alice");
    assert_eq!(ruri.host, Some(Host::Name("atlanta.example.com")));
    assert_eq!(ruri.transport(), Some("udp"));
    let to = m.to().unwrap().parse_uri().unwrap();
    assert_eq!(to.user_unescaped().unwrap(), "alice@home");
    assert_eq!(to.host_str, "atlanta.example.com");
    let from = m.from().unwrap();
    assert_eq!(from.display_name, Some("Bob"));
    assert_eq!(from.tag(), Some("esc-938"));
    assert_eq!(from.parse_uri().unwrap().user_unescaped().unwrap(), "bob smith");
    let c = contacts(m);
    assert_eq!(c.len(), 2);
    let u0 = c[0].parse_uri().unwrap();
    assert_eq!(u0.user_unescaped().unwrap(), "bob");
    assert_eq!(u0.param("%6C%72"), Some(""));
    assert_eq!(u0.param("n%61me"), Some("v%61lue%25%34%31"));
    let u1 = c[1].parse_uri().unwrap();
    assert_eq!(u1.user, Some("null-%00-null"));
    assert_eq!(u1.user_unescaped().unwrap(), "null-\0-null");
    assert_eq!(m.body().len(), 0);
}

fn percent_method(m: &Message) {
    assert_eq!(m.method(), Method::Extension);
    assert_eq!(m.method_name(), "RE%47IST%45R");
    let cseq = m.cseq().unwrap();
    assert_eq!((cseq.seq, cseq.method, cseq.method_name), (4711, Method::Extension, "RE%47IST%45R"));
    assert_eq!(m.to().unwrap().display_name, Some("%Z%45"));
    assert_eq!(m.from().unwrap().tag(), Some("pm-77f2"));
    let via = m.via().unwrap();
    assert_eq!((via.transport, via.host, via.rport()), ("TCP", "host.example.com", Some(None)));
    assert_eq!(via.branch(), Some("z9hG4bK4%Zq71"));
    let c = contacts(m);
    assert_eq!(
        c.iter().map(|c| c.uri).collect::<Vec<_>>(),
        ["sip:alias1@host1.example.com", "sip:alias3@host3.example.com"]
    );
    assert_eq!(m.header_by_name("C%6Fntact"), Some("<sip:alias2@host2.example.com>"));
    assert_eq!(m.header_count(), 10);
}

fn token_method(m: &Message) {
    let method = "!odd-Method_09*+`.%'~";
    assert_eq!((m.method(), m.method_name()), (Method::Extension, method));
    assert_eq!(m.cseq().unwrap().method_name, method);
    assert_eq!(m.cseq().unwrap().seq, 139122385);
    let ruri = m.parse_request_uri().unwrap();
    assert_eq!(ruri.user, Some("1_odd.user~(yes!)&isn't+it$/fun?,/;;*"));
    assert_eq!(ruri.password, Some("&pass=1,w!*d"));
    assert_eq!(ruri.host, Some(Host::Name("example.com")));
    assert_eq!(ruri.headers, "");
    let to = m.to().unwrap();
    assert_eq!(to.display_name, Some(r"odd \\ name"));
    assert_eq!(to.parse_uri().unwrap().user, Some("1_odd.user~(yes!)&isn't+it$/fun?,/;;*"));
    let from = m.from().unwrap();
    assert_eq!(from.display_name, Some("token1~` token2'+_ token3*%!.-"));
    assert_eq!(from.param("fromParam''~+*_!.-%"), Some("\"работа\""));
    assert_eq!(from.tag(), Some("_tok~1'+`*%!-."));
    assert_eq!(m.via().unwrap().branch(), Some("z9hG4bK-.!%66*_+`'~"));
    assert_eq!(m.call_id(), "tm.1234%!~*_'+`@example.com");
    assert_eq!(m.max_forwards().unwrap().unwrap(), 255);
    assert_eq!(m.header_by_name("extensionHeader-!.%*+_`'~"), Some("\u{feff}big and weird"));
}

fn long_values(m: &Message) {
    let ruri = m.parse_request_uri().unwrap();
    assert_eq!(ruri.user.unwrap().len(), 300);
    assert_eq!(m.via().unwrap().branch().unwrap().len(), 7 + 200);
    let to = m.to().unwrap();
    assert_eq!(to.display_name.unwrap(), "D".repeat(500));
    assert_eq!(m.from().unwrap().tag().unwrap(), "t".repeat(1000));
    assert_eq!(m.call_id().len(), 4000 + "@atlanta.example.com".len());
    assert!(m.call_id().starts_with("cccc"));
    assert_eq!(m.header_by_name("X-Long").unwrap(), "x".repeat(7000));
    assert_eq!(m.header_count(), 8);
}

fn many_vias(m: &Message) {
    let v = vias(m);
    assert_eq!(v.len(), 40);
    for (i, via) in v.iter().enumerate() {
        let n = i + 1;
        assert_eq!(via.host, format!("relay{n}.example.com"));
        assert_eq!(via.port, Some(5000 + n as u16));
        assert_eq!(via.branch().unwrap(), format!("z9hG4bKhop{n}"));
    }
    assert_eq!(m.header_values(HeaderName::Via).count(), 10);
    assert_eq!(m.via().unwrap().host, "relay1.example.com");
    assert_eq!(m.cseq().unwrap().seq, 40);
}

fn compact_forms(m: &Message) {
    assert_eq!(m.method(), Method::Refer);
    let raw: Vec<_> = m.headers().map(|h| h.raw_name).collect();
    assert_eq!(
        raw,
        ["v", "f", "t", "i", "CSeq", "m", "k", "s", "e", "o", "r", "x", "b", "Max-Forwards", "c", "l"]
    );
    let via = m.via().unwrap();
    assert_eq!((via.host, via.branch()), ("pc33.atlanta.example.com", Some("z9hG4bKcompact1")));
    let from = m.from().unwrap();
    assert_eq!((from.display_name, from.tag()), (Some("Alice"), Some("cf1")));
    assert_eq!(m.to().unwrap().display_name, Some("Bob"));
    assert_eq!(m.call_id(), "compact.2gw6s@pc33.atlanta.example.com");
    assert_eq!(contacts(m)[0].uri, "sip:alice@pc33.atlanta.example.com");
    assert_eq!(m.supported().collect::<Vec<_>>(), ["timer", "replaces"]);
    assert_eq!(m.header(HeaderName::Subject), Some("Compact forms"));
    assert_eq!(m.header(HeaderName::ContentEncoding), Some("identity"));
    let ev = m.event().unwrap();
    assert_eq!((ev.value, ev.param("id")), ("refer", Some("93")));
    assert_eq!(m.refer_to().unwrap().unwrap().uri, "sip:carol@chicago.example.com");
    let se = m.session_expires().unwrap();
    assert_eq!((se.seconds, se.refresher), (1800, Some("uac")));
    assert_eq!(m.header(HeaderName::ReferredBy), Some("<sip:alice@atlanta.example.com>"));
    assert_eq!(m.content_type().unwrap().value, "text/plain");
    assert_eq!(m.content_length().unwrap().unwrap(), 7);
    assert_eq!(m.body(), b"hello\r\n");
}

fn unknown_scheme(m: &Message) {
    assert_eq!(m.method(), Method::Options);
    let ruri = m.parse_request_uri().unwrap();
    assert_eq!((ruri.scheme, ruri.host, ruri.user), (Scheme::Other, None, None));
    assert_eq!(ruri.raw, "nobodyknows:opaque;content?x=y");
    let to = m.to().unwrap().parse_uri().unwrap();
    assert_eq!((to.scheme, to.raw), (Scheme::Other, "http://www.example.com/~bob"));
    let from = m.from().unwrap();
    assert_eq!((from.uri, from.tag()), ("mailto:alice@example.com", Some("us-1")));
    let c = contacts(m);
    assert_eq!(c.iter().map(|c| c.uri).collect::<Vec<_>>(), ["mailto:bob@example.com", "urn:service:sos"]);
    assert!(c.iter().all(|c| c.parse_uri().unwrap().scheme == Scheme::Other));
}

fn unknown_method(m: &Message) {
    assert_eq!((m.method(), m.method_name()), (Method::Extension, "NEWMETHOD"));
    let cseq = m.cseq().unwrap();
    assert_eq!((cseq.seq, cseq.method, cseq.method_name), (8, Method::Extension, "NEWMETHOD"));
    assert_eq!(m.content_type().unwrap().value, "application/x-new");
    assert_eq!(m.body(), b"new body\r\n");
}

fn ipv6(m: &Message) {
    let ruri = m.parse_request_uri().unwrap();
    assert_eq!(ruri.host, Some(Host::V6("2001:db8::9:1".parse().unwrap())));
    assert_eq!((ruri.host_str, ruri.port, ruri.transport()), ("[2001:db8::9:1]", Some(5070), Some("udp")));
    let v = vias(m);
    assert_eq!((v[0].host, v[0].port, v[0].sent_by), ("2001:db8::1", Some(5060), "[2001:db8::1]:5060"));
    assert_eq!(v[0].rport(), Some(None));
    assert_eq!(v[0].host_ip(), Some("2001:db8::1".parse().unwrap()));
    assert_eq!((v[1].host, v[1].port, v[1].received()), ("2001:db8::20", None, Some("2001:db8::21")));
    assert_eq!(v[1].branch(), Some("z9hG4bKv6b"));
    let c = contacts(m)[0].parse_uri().unwrap();
    assert_eq!((c.host, c.port), (Some(Host::V6("2001:db8::1".parse().unwrap())), Some(5060)));
    assert_eq!(m.call_id(), "v6.1@2001:db8::1");
}

fn display_names(m: &Message) {
    assert_eq!(m.method(), Method::Message);
    let to = m.to().unwrap();
    assert_eq!((to.display_name, to.uri), (Some(r#"Bob \"B\", Jr"#), "sip:bob@biloxi.example.com"));
    let from = m.from().unwrap();
    assert_eq!(from.display_name, Some(r#"Alice, \"Al\"; the <first>"#));
    assert_eq!((from.uri, from.tag()), ("sip:alice@atlanta.example.com", Some("dn1")));
    let c = contacts(m);
    let got: Vec<_> = c.iter().map(|c| (c.display_name, c.uri)).collect();
    assert_eq!(
        got,
        [
            (Some("Alice, at home"), "sip:alice@home.example.com"),
            (Some(r#"Al \"work\", desk"#), "sip:alice@work.example.com"),
            (Some("Mobile"), "sip:alice@mobile.example.com"),
            (Some("Carol Lee"), "sip:carol@chicago.example.com"),
        ]
    );
    assert_eq!((c[0].param("q"), c[1].param("q"), c[2].expires()), (Some("0.7"), Some("0.3"), Some(60)));
}

fn params(m: &Message) {
    let ruri = m.parse_request_uri().unwrap();
    assert!(ruri.lr());
    assert_eq!(
        (ruri.transport(), ruri.maddr(), ruri.param("ttl")),
        (Some("tcp"), Some("239.255.255.1"), Some("15"))
    );
    let v = vias(m);
    assert_eq!((v[0].host, v[0].port, v[0].rport()), ("192.0.2.10", Some(5060), Some(None)));
    assert_eq!((v[0].branch(), v[0].received()), (Some("z9hG4bKodd1"), Some("192.0.2.99")));
    assert_eq!((v[1].host, v[1].port, v[1].branch()), ("192.0.2.11", None, Some("z9hG4bKodd2")));
    assert_eq!((v[1].ttl(), v[1].maddr(), v[1].rport()), (Some(16), Some("224.2.0.1"), None));
    let routes: Vec<_> = m.routes().map(|r| r.unwrap().parse_uri().unwrap()).collect();
    assert_eq!(
        routes.iter().map(|r| r.host_str).collect::<Vec<_>>(),
        ["p1.example.com", "p2.example.com", "p3.example.com"]
    );
    assert!(routes.iter().all(|r| r.lr()));
    assert_eq!(
        (routes[1].param("lr"), routes[2].port, routes[2].transport()),
        (Some("on"), Some(5070), Some("tcp"))
    );
    assert_eq!(m.record_routes().count(), 1);
    let from = m.from().unwrap();
    assert_eq!((from.tag(), from.param("x-flag")), (Some("odd1"), Some("")));
    assert_eq!(m.to().unwrap().param("x-empty"), Some("\"\""));
    assert_eq!(m.to().unwrap().tag(), None);
    let c = contacts(m)[0].parse_uri().unwrap();
    assert_eq!((c.user, c.host_str), (Some("user;par=u%40example.net"), "example.com"));
    assert_eq!(c.user_unescaped().unwrap(), "user;par=u@example.net");
    assert_eq!(m.supported().collect::<Vec<_>>(), ["timer", "100rel", "path"]);
    assert_eq!(m.allow().collect::<Vec<_>>(), ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS"]);
}

fn transports(m: &Message) {
    let got: Vec<_> = vias(m).iter().map(|v| (v.transport, v.host, v.port)).collect();
    assert_eq!(
        got,
        [
            ("UNKNOWN", "t1.example.com", None),
            ("SCTP", "t2.example.com", None),
            ("TLS", "t3.example.com", Some(5061)),
            ("TLS-SCTP", "t4.example.com", None),
            ("WS", "t5.example.com", None),
            ("tcp", "t6.example.com", None),
        ]
    );
}

fn response_200(m: &Message) {
    assert!(!m.is_request());
    assert_eq!((m.status_code(), m.reason()), (Some(200), "OK"));
    assert_eq!((m.method(), m.method_name(), m.request_uri()), (Method::Invite, "INVITE", ""));
    let v = vias(m);
    assert_eq!(
        (v[0].host, v[0].received(), v[0].branch()),
        ("proxy.example.com", Some("192.0.2.5"), Some("z9hG4bKr200a"))
    );
    assert_eq!((v[1].port, v[1].rport()), (Some(5061), Some(Some(5061))));
    assert_eq!(m.from().unwrap().tag(), Some("1928301774"));
    assert_eq!(m.to().unwrap().tag(), Some("a6c85cf"));
    assert_eq!(m.cseq().unwrap().seq, 314159);
    assert_eq!(m.record_routes().next().unwrap().unwrap().uri, "sip:proxy.example.com;lr");
    assert_eq!(m.parse_request_uri().map_err(|e| e.kind), Err(ParseErrorKind::BadUri));
    assert_eq!(m.body().len(), 132);
    assert!(m.body().ends_with(b"a=rtpmap:0 PCMU/8000\r\n"));
}

fn no_content_length(m: &Message) {
    assert!(m.content_length().is_none());
    assert_eq!(m.body(), b"Watson, come here.\r\n");
}

fn extra_octets(m: &Message) {
    assert_eq!(m.content_length().unwrap().unwrap(), 5);
    assert_eq!(m.body(), b"hello");
    let head_end = m.as_bytes().windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert_eq!(m.len(), head_end + 5, "the octets after Content-Length are not part of the message");
    assert!(m.as_bytes().len() > m.len() + 40);
}

fn lowercase_version(m: &Message) {
    assert_eq!(m.method(), Method::Options);
    assert_eq!(m.request_uri(), "sip:bob@biloxi.example.com");
}

fn tel_uri(m: &Message) {
    let ruri = m.parse_request_uri().unwrap();
    assert_eq!((ruri.scheme, ruri.user, ruri.host), (Scheme::Tel, Some("+1-201-555-0123"), None));
    assert_eq!(ruri.param("ext"), Some("42"));
    let to = m.to().unwrap().parse_uri().unwrap();
    assert_eq!((to.scheme, to.user), (Scheme::Tel, Some("+1-201-555-0123")));
    let from = m.from().unwrap().parse_uri().unwrap();
    assert_eq!((from.user, from.param("user")), (Some("+12015550100"), Some("phone")));
}

fn unusual_reason(m: &Message) {
    assert_eq!(m.status_code(), Some(580));
    assert_eq!(m.reason(), "Precondition Failure ¡¿ 😀 ~!@#$%^&*() end");
}

fn empty_reason(m: &Message) {
    assert_eq!((m.status_code(), m.reason()), (Some(100), ""));
}

fn keepalive_prefix(m: &Message) {
    assert_eq!(m.method(), Method::Options);
    assert_eq!(m.len(), m.as_bytes().len() - 4);
    assert_eq!(m.via().unwrap().transport, "TCP");
}

fn register_star(m: &Message) {
    assert_eq!(m.method(), Method::Register);
    let c = contacts(m);
    assert_eq!(c.len(), 1);
    assert!(c[0].is_star());
    assert_eq!(m.expires().unwrap().unwrap(), 0);
    assert_eq!(m.from().unwrap().tag(), Some("456248"));
}

// ------------------------------------------------------------------ invalid

/// Where the fault must be reported.
enum Expect {
    /// By `Message::parse` (structure, framing, caps or `validate`).
    Parse(ParseErrorKind),
    /// `Message::parse` accepts it, and this typed view reports the fault.
    View(fn(&Message) -> Result<(), ParseError>, ParseErrorKind),
}

use Expect::{Parse, View};
use ParseErrorKind as K;

fn from_view(m: &Message) -> Result<(), ParseError> {
    m.from().map(drop)
}
fn to_view(m: &Message) -> Result<(), ParseError> {
    m.to().map(drop)
}
fn to_uri(m: &Message) -> Result<(), ParseError> {
    m.to()?.parse_uri().map(drop)
}
fn via_view(m: &Message) -> Result<(), ParseError> {
    m.via().map(drop)
}
fn contacts_view(m: &Message) -> Result<(), ParseError> {
    m.contacts().try_for_each(|c| c.map(drop))
}
fn ruri_view(m: &Message) -> Result<(), ParseError> {
    m.parse_request_uri().map(drop)
}
fn max_forwards_view(m: &Message) -> Result<(), ParseError> {
    m.max_forwards().expect("Max-Forwards present").map(drop)
}

const INVALID: &[(&str, Expect)] = &[
    ("bad_method", Parse(K::BadMethod)),
    ("bad_utf8", Parse(K::InvalidUtf8)),
    ("bad_via", View(via_view, K::BadHeaderValue("Via"))),
    ("bare_cr", Parse(K::IllegalCharacter)),
    ("body_too_large", Parse(K::BodyTooLarge { limit: 32_768 })),
    ("call_id_duplicate", Parse(K::DuplicateHeader("Call-ID"))),
    ("call_id_empty", Parse(K::BadHeaderValue("Call-ID"))),
    ("cl_duplicate", Parse(K::DuplicateHeader("Content-Length"))),
    ("cl_exceeds_datagram", Parse(K::ContentLengthExceedsDatagram)),
    ("cl_negative", Parse(K::BadContentLength)),
    ("cl_not_number", Parse(K::BadContentLength)),
    ("cl_overflow", Parse(K::BadContentLength)),
    ("continuation_first", Parse(K::BadHeaderName)),
    ("cseq_2pow31", Parse(K::BadCSeq)),
    ("cseq_mismatch", Parse(K::CSeqMethodMismatch)),
    ("cseq_mismatch_unknown", Parse(K::CSeqMethodMismatch)),
    ("cseq_no_method", Parse(K::BadCSeq)),
    ("cseq_no_space", Parse(K::BadCSeq)),
    ("cseq_not_number", Parse(K::BadCSeq)),
    ("cseq_overflow", Parse(K::BadCSeq)),
    ("ctrl_char", Parse(K::IllegalCharacter)),
    ("display_name_nontoken", View(from_view, K::BadHeaderValue("From"))),
    ("empty", Parse(K::Empty)),
    ("folded_too_long", Parse(K::LineTooLong { limit: 8_192 })),
    ("header_missing_colon", Parse(K::MissingColon)),
    ("header_name_empty", Parse(K::BadHeaderName)),
    ("header_name_illegal", Parse(K::BadHeaderName)),
    ("header_name_space", Parse(K::BadHeaderName)),
    ("line_too_long", Parse(K::LineTooLong { limit: 8_192 })),
    ("max_forwards_300", View(max_forwards_view, K::BadHeaderValue("Max-Forwards"))),
    ("max_forwards_text", View(max_forwards_view, K::BadHeaderValue("Max-Forwards"))),
    ("message_too_large", Parse(K::MessageTooLarge { limit: 65_535 })),
    ("missing_call_id", Parse(K::MissingHeader("Call-ID"))),
    ("missing_cseq", Parse(K::MissingHeader("CSeq"))),
    ("missing_from", Parse(K::MissingHeader("From"))),
    ("missing_to", Parse(K::MissingHeader("To"))),
    ("missing_via", Parse(K::MissingHeader("Via"))),
    ("no_start_line_sp", Parse(K::BadStartLine)),
    ("nul_in_name", Parse(K::BadHeaderName)),
    ("nul_in_uri", Parse(K::BadRequestUri)),
    ("nul_in_value", Parse(K::IllegalCharacter)),
    ("quote_contact", View(contacts_view, K::BadHeaderValue("Contact"))),
    ("quote_from", View(from_view, K::BadHeaderValue("From"))),
    ("quote_to", View(to_view, K::BadHeaderValue("To"))),
    ("request_line_multi_sp", Parse(K::BadRequestUri)),
    ("request_line_too_long", Parse(K::LineTooLong { limit: 8_192 })),
    ("ruri_angle", View(ruri_view, K::BadUri)),
    ("ruri_lws", Parse(K::BadRequestUri)),
    ("ruri_no_colon", Parse(K::BadRequestUri)),
    ("status_overlarge", Parse(K::BadStatusCode)),
    ("status_too_low", Parse(K::BadStatusCode)),
    ("to_bad_uri", View(to_uri, K::BadUri)),
    ("too_many_headers", Parse(K::TooManyHeaders { limit: 128 })),
    ("truncated", Parse(K::Truncated)),
    ("version_3", Parse(K::BadVersion)),
    ("version_7_response", Parse(K::BadVersion)),
    ("version_http", Parse(K::BadStartLine)),
    ("via_bad_port", View(via_view, K::BadHeaderValue("Via"))),
];

#[test]
fn invalid_corpus() {
    let listed: Vec<String> = INVALID.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(names("invalid"), listed, "every invalid corpus file has an expectation, and only those");
    for (name, expect) in INVALID {
        let buf = load("invalid", name);
        let len = buf.len();
        match expect {
            Parse(kind) => {
                let err = Message::parse(buf).map(|_| ()).expect_err(name);
                assert_eq!(err.kind, *kind, "{name}: {err:?}");
                assert!(err.offset <= len, "{name}: offset {} past the end", err.offset);
            }
            View(view, kind) => {
                let m = Message::parse(buf).unwrap_or_else(|e| panic!("{name}: parse should pass: {e:?}"));
                let err = view(&m).expect_err(name);
                assert_eq!(err.kind, *kind, "{name}: {err:?}");
            }
        }
    }
}

/// The offset of an error points at the fault: the needle's first byte.
#[test]
fn invalid_offsets() {
    let cases: &[(&str, &[u8])] = &[
        ("nul_in_value", b"\0"),
        ("ctrl_char", b"\x07"),
        ("bare_cr", b"\rcr"),
        ("bad_utf8", b"\xe9"),
        ("header_name_illegal", b"X-C@stom"),
        ("header_name_space", b"X Custom"),
        ("header_missing_colon", b"Subject just"),
        ("cl_not_number", b"abc"),
        ("cl_exceeds_datagram", b"9999"),
        ("cseq_not_number", b"one INVITE"),
        ("cseq_mismatch", b"1 BYE"),
        ("line_too_long", b"X-Long"),
        ("version_3", b"SIP/3.0"),
        ("status_overlarge", b"4294967301"),
        ("ruri_lws", b"sip:bob"),
        ("call_id_duplicate", b"i: other"),
    ];
    for (name, needle) in cases {
        let buf = load("invalid", name);
        let at = buf.windows(needle.len()).position(|w| w == *needle).unwrap();
        let err = Message::parse(buf).map(|_| ()).unwrap_err();
        assert_eq!(err.offset, at, "{name}: {err:?}");
    }
}

#[test]
fn reason_phrases_name_the_fault() {
    let reason = |name: &str| Message::parse(load("invalid", name)).map(|_| ()).unwrap_err().reason_phrase();
    assert_eq!(reason("missing_via"), "Bad Request - Missing Via");
    assert_eq!(reason("missing_call_id"), "Bad Request - Missing Call-ID");
    assert_eq!(reason("cseq_overflow"), "Bad Request - Bad CSeq");
    assert_eq!(reason("cl_negative"), "Bad Request - Bad Content-Length");
    assert_eq!(reason("version_3"), "Bad Request - Unsupported SIP Version");
    assert_eq!(reason("too_many_headers"), "Bad Request - Headers Too Large");
    assert_eq!(reason("body_too_large"), "Bad Request - Message Too Large");
}

/// A message that fails only `validate` is still indexed by
/// `parse_unvalidated`, so a 400 can be routed back.
#[test]
fn unvalidated_keeps_what_is_there() {
    let m = Message::parse_unvalidated(load("invalid", "missing_call_id"), &ParseLimits::default()).unwrap();
    assert_eq!(m.validate().unwrap_err().kind, K::MissingHeader("Call-ID"));
    assert_eq!(m.via().unwrap().branch(), Some("z9hG4bKbad"));
    assert_eq!(m.call_id(), "");
}

// ------------------------------------------------------------------ caps

const SMALL: &[u8] = b"OPTIONS sip:bob@biloxi.example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKcap\r\n\
To: <sip:bob@biloxi.example.com>\r\n\
From: <sip:alice@atlanta.example.com>;tag=cap\r\n\
Call-ID: cap.1@atlanta.example.com\r\n\
CSeq: 1 OPTIONS\r\n\
Content-Length: 11\r\n\
\r\n\
hello world";

fn parse_with(buf: &[u8], limits: ParseLimits) -> Result<Message, ParseError> {
    Message::parse_with(Bytes::copy_from_slice(buf), &limits)
}

fn kind(r: Result<Message, ParseError>) -> ParseErrorKind {
    r.map(|_| ()).unwrap_err().kind
}

#[test]
fn small_caps_report_which_cap() {
    let d = ParseLimits::default();
    assert!(parse_with(SMALL, d).is_ok());
    assert_eq!(kind(parse_with(SMALL, ParseLimits { max_headers: 3, ..d })), K::TooManyHeaders { limit: 3 });
    assert!(parse_with(SMALL, ParseLimits { max_headers: 6, ..d }).is_ok());
    assert_eq!(kind(parse_with(SMALL, ParseLimits { max_line_len: 40, ..d })), K::LineTooLong { limit: 40 });
    assert_eq!(
        kind(parse_with(SMALL, ParseLimits { max_message_size: 100, ..d })),
        K::MessageTooLarge { limit: 100 }
    );
    assert_eq!(
        kind(parse_with(SMALL, ParseLimits { max_body_size: 10, ..d })),
        K::BodyTooLarge { limit: 10 }
    );
    // Each cap is inclusive.
    assert!(parse_with(SMALL, ParseLimits { max_message_size: SMALL.len(), ..d }).is_ok());
    assert!(parse_with(SMALL, ParseLimits { max_body_size: 11, ..d }).is_ok());
    let longest =
        SMALL.split(|&c| c == b'\n').map(|l| l.len() - usize::from(l.ends_with(b"\r"))).max().unwrap();
    assert_eq!(longest, "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKcap".len());
    assert!(parse_with(SMALL, ParseLimits { max_line_len: longest, ..d }).is_ok());
    assert_eq!(
        kind(parse_with(SMALL, ParseLimits { max_line_len: longest - 1, ..d })),
        K::LineTooLong { limit: longest - 1 }
    );
}

#[test]
fn message_size_is_capped_at_the_udp_ceiling() {
    let d = ParseLimits::default();
    let huge = ParseLimits { max_message_size: 1 << 20, max_line_len: 1 << 20, max_body_size: 1 << 20, ..d };
    let big = padded(70_000);
    assert_eq!(kind(parse_with(&big, huge)), K::MessageTooLarge { limit: 65_535 });
}

/// `SMALL` grown to exactly `len` bytes with padding headers.
fn padded(len: usize) -> Vec<u8> {
    let (head, body) = SMALL.split_at(SMALL.len() - 11 - 2);
    let mut out = head.to_vec();
    let mut i = 0;
    loop {
        let left = len - out.len() - body.len();
        if left <= 8_000 {
            let pad = left - "X-Pad-00: \r\n".len();
            out.extend_from_slice(format!("X-Pad-{i:02}: {}\r\n", "p".repeat(pad)).as_bytes());
            break;
        }
        out.extend_from_slice(format!("X-Pad-{i:02}: {}\r\n", "p".repeat(7_000)).as_bytes());
        i += 1;
    }
    out.extend_from_slice(body);
    assert_eq!(out.len(), len);
    out
}

#[test]
fn datagram_of_64_kib() {
    let d = ParseLimits::default();
    let max = padded(65_535);
    let m = parse_with(&max, d).unwrap();
    assert_eq!((m.len(), m.body()), (65_535, &b"hello world"[..]));
    assert_eq!(m.header_by_name("X-Pad-00").unwrap().len(), 7_000);
    assert_eq!(kind(parse_with(&padded(65_536), d)), K::MessageTooLarge { limit: 65_535 });
}

fn with_headers(n: usize) -> Vec<u8> {
    let (head, body) = SMALL.split_at(SMALL.len() - 11 - 2);
    let mut out = head.to_vec();
    for i in 0..n - 6 {
        out.extend_from_slice(format!("X-H{i}: v\r\n").as_bytes());
    }
    out.extend_from_slice(body);
    out
}

#[test]
fn five_thousand_headers() {
    let d = ParseLimits::default();
    let msg = with_headers(5_000);
    assert!(msg.len() < 65_535);
    assert_eq!(kind(parse_with(&msg, d)), K::TooManyHeaders { limit: 128 });
    // The index holds at most 255 entries, whatever the caller asks for.
    assert_eq!(
        kind(parse_with(&msg, ParseLimits { max_headers: 10_000, ..d })),
        K::TooManyHeaders { limit: 255 }
    );
    assert_eq!(parse_with(&with_headers(128), d).unwrap().header_count(), 128);
    assert_eq!(kind(parse_with(&with_headers(129), d)), K::TooManyHeaders { limit: 128 });
    let wide = ParseLimits { max_headers: 1_000, ..d };
    assert_eq!(parse_with(&with_headers(255), wide).unwrap().header_count(), 255);
    assert_eq!(kind(parse_with(&with_headers(256), wide)), K::TooManyHeaders { limit: 255 });
}

// ------------------------------------------------------------------ streams

#[test]
fn stream_framing() {
    let d = ParseLimits::default();
    assert_eq!(stream_frame(b"\r\n\r\nOPTIONS", &d), Ok(StreamFrame::KeepAlive(4)));
    assert_eq!(stream_frame(b"\r\n", &d), Ok(StreamFrame::KeepAlive(2)));
    assert_eq!(stream_frame(b"", &d), Ok(StreamFrame::Incomplete));
    assert_eq!(stream_frame(&SMALL[..60], &d), Ok(StreamFrame::Incomplete));
    assert_eq!(
        stream_frame(&SMALL[..SMALL.len() - 1], &d),
        Ok(StreamFrame::Incomplete),
        "body not all there"
    );
    assert_eq!(stream_frame(SMALL, &d), Ok(StreamFrame::Message(SMALL.len())));

    let mut two = SMALL.to_vec();
    two.extend_from_slice(b"\r\n\r\n");
    two.extend_from_slice(SMALL);
    let Ok(StreamFrame::Message(n)) = stream_frame(&two, &d) else { panic!() };
    assert_eq!(n, SMALL.len());
    assert_eq!(Message::parse(Bytes::copy_from_slice(&two[..n])).unwrap().body(), b"hello world");
    assert_eq!(stream_frame(&two[n..], &d), Ok(StreamFrame::KeepAlive(4)));
    assert_eq!(stream_frame(&two[n + 4..], &d), Ok(StreamFrame::Message(SMALL.len())));

    let lf_only: Vec<u8> = SMALL.iter().copied().filter(|&c| c != b'\r').collect();
    assert_eq!(stream_frame(&lf_only, &d), Ok(StreamFrame::Message(lf_only.len())));

    let no_cl = std::str::from_utf8(SMALL).unwrap().replace("Content-Length: 11\r\n", "");
    let err = stream_frame(no_cl.as_bytes(), &d).unwrap_err();
    assert_eq!(err.kind, K::MissingHeader("Content-Length"));
    let bad_cl = std::str::from_utf8(SMALL).unwrap().replace("Content-Length: 11", "Content-Length: x1");
    assert_eq!(stream_frame(bad_cl.as_bytes(), &d).unwrap_err().kind, K::BadContentLength);
    let big_cl = std::str::from_utf8(SMALL).unwrap().replace("Content-Length: 11", "Content-Length: 4000000");
    assert_eq!(stream_frame(big_cl.as_bytes(), &d).unwrap_err().kind, K::MessageTooLarge { limit: 65_535 });
    let endless = vec![b'a'; 70_000];
    assert_eq!(stream_frame(&endless, &d).unwrap_err().kind, K::MessageTooLarge { limit: 65_535 });
}

/// Stream framing agrees with the datagram parser on the valid corpus.
#[test]
fn stream_framing_of_the_corpus() {
    let d = ParseLimits::default();
    for (name, _) in VALID {
        let buf = load("valid", name);
        let m = Message::parse(buf.clone()).unwrap();
        let frame = stream_frame(&buf, &d);
        match *name {
            "keepalive_prefix" => assert_eq!(frame, Ok(StreamFrame::KeepAlive(4))),
            "no_content_length" => assert_eq!(frame.unwrap_err().kind, K::MissingHeader("Content-Length")),
            _ => assert_eq!(frame, Ok(StreamFrame::Message(m.len())), "{name}"),
        }
    }
}

/// A bare CR is found wherever it falls (the head is scanned in blocks),
/// and a CRLF split across any block boundary is not mistaken for one.
#[test]
fn bare_cr_at_every_offset() {
    let (head, body) = SMALL.split_at(SMALL.len() - 11 - 2);
    for pad in 0..140 {
        let mut ok = head.to_vec();
        ok.extend_from_slice(format!("X-Pad: {}\r\n", "p".repeat(pad)).as_bytes());
        let mut bad = ok.clone();
        ok.extend_from_slice(body);
        assert!(Message::parse(Bytes::from(ok)).is_ok(), "pad {pad}");
        let at = bad.len() + "Subject: a".len();
        bad.extend_from_slice(b"Subject: a\rb\r\n");
        bad.extend_from_slice(body);
        let err = Message::parse(Bytes::from(bad)).map(|_| ()).unwrap_err();
        assert_eq!((err.kind, err.offset), (K::IllegalCharacter, at), "pad {pad}");
    }
}
