//! Property tests on hostile input, run by `cargo test`: random bytes,
//! SIP-shaped noise and mutations of the corpus never panic (in the parser,
//! in stream framing or in any typed view), and whatever parses survives
//! `encode` → parse with the same values. `fuzz/` runs the same checks
//! under libFuzzer for longer.

use std::path::Path;
use std::sync::OnceLock;

use bytes::{Bytes, BytesMut};
use proptest::prelude::*;
use sipbench::sip::*;

fn corpus() -> &'static [Vec<u8>] {
    static CORPUS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
        let mut files: Vec<_> = ["valid", "invalid"]
            .iter()
            .flat_map(|kind| std::fs::read_dir(root.join(kind)).unwrap().map(|e| e.unwrap().path()))
            .filter(|p| p.extension().is_some_and(|e| e == "sip"))
            .collect();
        files.sort();
        files.iter().map(|p| std::fs::read(p).unwrap()).collect()
    })
}

fn valid_corpus() -> Vec<Bytes> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/valid");
    std::fs::read_dir(dir).unwrap().map(|e| Bytes::from(std::fs::read(e.unwrap().path()).unwrap())).collect()
}

/// Calls every typed view and walks every parameter list.
fn exercise(m: &Message) {
    let _ = (m.is_request(), m.method(), m.method_name(), m.request_uri(), m.status_code(), m.reason());
    let _ =
        (m.call_id(), m.cseq(), m.max_forwards(), m.content_length(), m.expires(), m.len(), m.body_bytes());
    let _ = (m.content_type().map(|t| t.params().count()), m.event().map(|e| e.param("id")));
    let _ = m.session_expires();
    let _ = (m.require().count(), m.supported().count(), m.unsupported().count(), m.allow().count());
    let _ = m.header_by_name("x-unknown");
    for h in m.headers() {
        let _ = m.header_by_name(h.raw_name);
        let _ = m.list(h.name).count();
    }
    if let Ok(u) = m.parse_request_uri() {
        uri(&u);
    }
    for via in m.vias().chain(std::iter::once(m.via())).flatten() {
        let _ = (via.branch(), via.is_rfc3261_branch(), via.received(), via.rport(), via.maddr(), via.ttl());
        let _ = (via.host_ip(), via.params().count());
    }
    let addrs = [m.from(), m.to()].into_iter().chain(m.contacts()).chain(m.routes()).chain(m.record_routes());
    for na in addrs.chain(m.refer_to()).flatten() {
        let _ = (na.tag(), na.expires(), na.is_star(), na.params().count(), na.params_str());
        if let Ok(u) = na.parse_uri() {
            uri(&u);
        }
    }
}

fn uri(u: &Uri<'_>) {
    let _ = (u.transport(), u.maddr(), u.lr(), u.user_unescaped(), u.params().count());
}

/// A folded value as `encode` writes it: each line break and the
/// whitespace after it become one space.
fn unfold(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' || c == '\n' {
            while chars.peek().is_some_and(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) {
                chars.next();
            }
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

fn headers_but_length(m: &Message) -> Vec<(HeaderName, String, String)> {
    m.headers()
        .filter(|h| h.name != HeaderName::ContentLength)
        .map(|h| (h.name, h.raw_name.to_string(), unfold(h.value)))
        .collect()
}

/// `encode` then parse gives the same start line, headers and body.
fn round_trip(m: &Message) {
    let mut out = BytesMut::new();
    m.encode(&mut out);
    // Encoding adds CRs and a Content-Length, so it may outgrow a cap the
    // original just met; the hard ceilings cannot be raised.
    if out.len() > 65_535 || m.header_count() >= 255 {
        return;
    }
    let wide = ParseLimits {
        max_message_size: 65_535,
        max_headers: 255,
        max_line_len: 65_535,
        max_body_size: 65_535,
    };
    let again = Message::parse_unvalidated(out.freeze(), &wide)
        .unwrap_or_else(|e| panic!("re-parse failed: {e:?}\noriginal: {m:?}"));
    assert_eq!(again.is_request(), m.is_request());
    assert_eq!(again.method_name(), m.method_name());
    assert_eq!(again.request_uri(), m.request_uri());
    assert_eq!((again.status_code(), again.reason()), (m.status_code(), m.reason()));
    assert_eq!(headers_but_length(&again), headers_but_length(m));
    assert_eq!(again.body(), m.body());
    assert_eq!(again.content_length().unwrap().unwrap() as usize, m.body().len());
    if m.validate().is_ok() {
        again.validate().unwrap();
    }
}

const SMALL: ParseLimits =
    ParseLimits { max_message_size: 4_096, max_headers: 16, max_line_len: 256, max_body_size: 1_024 };

/// Everything a receiver may do with untrusted bytes.
fn check(input: &[u8]) {
    let _ = stream_frame(input, &ParseLimits::default());
    let _ = stream_frame(input, &SMALL);
    let buf = Bytes::copy_from_slice(input);
    for limits in [ParseLimits::default(), SMALL] {
        let full = Message::parse_with(buf.clone(), &limits);
        match Message::parse_unvalidated(buf.clone(), &limits) {
            Ok(m) => {
                assert_eq!(full.map(|_| ()), m.validate(), "parse = parse_unvalidated + validate");
                assert!(m.len() <= input.len() && m.body().len() <= limits.max_body_size);
                exercise(&m);
                round_trip(&m);
            }
            Err(e) => {
                assert_eq!(full.map(|_| ()), Err(e));
                assert!(e.offset <= input.len(), "{e:?}");
                let _ = e.reason_phrase();
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, &'static [u8]),
    DuplicateLine(usize),
    DeleteRange(usize, usize),
}

const TOKENS: &[&[u8]] = &[
    b"\r\n",
    b"\r\n ",
    b"\n",
    b"\r",
    b"\0",
    b",",
    b";",
    b"=",
    b"\"",
    b"\\",
    b"<",
    b">",
    b":",
    b"@",
    b"?",
    b"%",
    b"%0",
    b"[",
    b"]",
    b"/",
    b" ",
    b"\t",
    b"\xff",
    b"\xc3",
    b"SIP/2.0",
    b"Content-Length: 99999\r\n",
    b"l: 0\r\n",
    b"Via: SIP/2.0/UDP [::1]:99999;rport;branch=z9hG4bK\r\n",
    b"\r\n\r\n",
    b"0",
    b"-1",
    b"4294967296",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), prop::sample::select(TOKENS)).prop_map(|(i, t)| Mutation::Insert(i, t)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::DeleteRange(i, n)),
    ]
}

fn apply(buf: &mut Vec<u8>, m: &Mutation) {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
    match *m {
        Mutation::Flip(i, b) if !buf.is_empty() => {
            let i = i % buf.len();
            buf[i] = b;
        }
        Mutation::Flip(..) => {}
        Mutation::Truncate(i) => buf.truncate(at(i, buf.len())),
        Mutation::Insert(i, t) => {
            let i = at(i, buf.len());
            buf.splice(i..i, t.iter().copied());
        }
        Mutation::DuplicateLine(i) => {
            let starts: Vec<usize> = std::iter::once(0)
                .chain(buf.iter().enumerate().filter(|c| *c.1 == b'\n').map(|c| c.0 + 1))
                .collect();
            let s = starts[i % starts.len()];
            let e = buf[s..].iter().position(|&c| c == b'\n').map_or(buf.len(), |p| s + p + 1);
            let line = buf[s..e].to_vec();
            buf.splice(e..e, line);
        }
        Mutation::DeleteRange(i, n) => {
            let s = at(i, buf.len());
            buf.drain(s..(s + n).min(buf.len()));
        }
    }
}

const NAMES: &[&str] = &[
    "Via",
    "v",
    "From",
    "f",
    "To",
    "t",
    "Call-ID",
    "i",
    "CSeq",
    "Contact",
    "m",
    "Route",
    "Record-Route",
    "Max-Forwards",
    "Content-Length",
    "l",
    "Content-Type",
    "Refer-To",
    "Event",
    "Session-Expires",
    "Supported",
    "Expires",
    "X-Other",
];

fn sip_shaped() -> impl Strategy<Value = Vec<u8>> {
    let start = prop_oneof![
        Just("INVITE sip:bob@example.com SIP/2.0".to_string()),
        Just("SIP/2.0 200 OK".to_string()),
        "[A-Z]{1,8} [ -~]{0,30} SIP/2.0",
        "SIP/2.0 [0-9]{3} [ -~]{0,10}",
    ];
    let value = "[ -~\t]{0,40}|<sip:[a-z@.:;=\\[\\]0-9]{0,20}>[;a-z=0-9\"]{0,20}|SIP/2.0/UDP [a-z0-9.:\\[\\]]{0,15};[a-z=;0-9]{0,20}";
    let header = (prop::sample::select(NAMES), value, prop_oneof![Just(""), Just("\r\n "), Just("\r\n\t")]);
    (start, prop::collection::vec(header, 0..24), "[ -~\r\n]{0,64}").prop_map(|(start, headers, body)| {
        let mut s = start;
        s.push_str("\r\n");
        for (name, value, fold) in headers {
            s.push_str(&format!("{name}: {fold}{value}\r\n"));
        }
        s.push_str("\r\n");
        s.push_str(&body);
        s.into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..1_024)) {
        check(&input);
    }

    #[test]
    fn sip_shaped_noise_never_panics(input in sip_shaped()) {
        check(&input);
    }

    #[test]
    fn corpus_mutations_never_panic(
        file in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let files = corpus();
        let mut buf = files[file.index(files.len())].clone();
        for m in &mutations {
            apply(&mut buf, m);
        }
        check(&buf);
    }
}

#[test]
fn corpus_round_trips() {
    let valid = valid_corpus();
    assert!(valid.len() >= 15);
    for buf in valid {
        let m = Message::parse(buf.clone()).unwrap();
        exercise(&m);
        round_trip(&m);
        // The valid corpus also re-parses under the default caps.
        let mut out = BytesMut::new();
        m.encode(&mut out);
        let again = Message::parse(out.freeze()).unwrap();
        assert_eq!(again.vias().count(), m.vias().count());
        assert_eq!(again.header_count(), m.header_count() + usize::from(m.content_length().is_none()));
    }
    for buf in corpus() {
        check(buf);
    }
}
