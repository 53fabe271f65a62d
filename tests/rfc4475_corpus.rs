//! The RFC 4475 torture messages (`tests/corpus/rfc4475/`) through the
//! parser: `Message::parse`, the typed views a UAS reads, the facts a
//! UAS decides on (flags) and the stream framer, each against the
//! manifest's expectation for that message.
//!
//! Known defects: where today's parser differs from the strict
//! expectation, the manifest records what it does today (`parse_today`,
//! `stream_today`), and that is what is asserted, so this passes today
//! and fails both when behaviour changes silently and when a fix lands
//! without deleting the `*_today` line. See the manifest's header.

use std::collections::BTreeSet;

use bytes::Bytes;
use sha2::{Digest, Sha256};
use sipbench::sip::*;

#[path = "common/rfc4475.rs"]
mod rfc4475;
use rfc4475::{Entry, manifest};

/// The RFC's section 3 table of contents, in order: 13 valid and 19
/// invalid parser tests, 1 transaction test, 15 application tests and 1
/// backward-compatibility test.
const RFC_ORDER: [&str; 49] = [
    "wsinv",
    "intmeth",
    "esc01",
    "escnull",
    "esc02",
    "lwsdisp",
    "longreq",
    "dblreq",
    "semiuri",
    "transports",
    "mpart01",
    "unreason",
    "noreason",
    "badinv01",
    "clerr",
    "ncl",
    "scalar02",
    "scalarlg",
    "quotbal",
    "ltgtruri",
    "lwsruri",
    "lwsstart",
    "trws",
    "escruri",
    "baddate",
    "regbadct",
    "badaspec",
    "baddn",
    "badvers",
    "mismatch01",
    "mismatch02",
    "bigcode",
    "badbranch",
    "insuf",
    "unkscm",
    "novelsc",
    "unksm2",
    "bext01",
    "invut",
    "regaut01",
    "multi01",
    "mcl01",
    "bcast",
    "zeromf",
    "cparam01",
    "cparam02",
    "regescrt",
    "sdp01",
    "inv2543",
];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn manifest_covers_the_corpus_byte_exact() {
    let entries = manifest();
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, RFC_ORDER, "one entry per RFC 4475 section 3 message, in the RFC's order");
    let mut files: BTreeSet<String> = std::fs::read_dir(rfc4475::dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(files.remove("manifest.toml"));
    let listed: BTreeSet<String> =
        entries.iter().map(|e| e.path().file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(files, listed, "every file has an entry, and only those");
    for e in &entries {
        let bytes = e.bytes();
        assert_eq!(hex(&Sha256::digest(&bytes)), e.sha256, "{}: bytes changed", e.name);
        // Every line of the head ends in CRLF (the RFC's own line ends).
        let head_end = bytes.windows(4).position(|w| w == b"\r\n\r\n").map_or(bytes.len(), |p| p + 2);
        let head = &bytes[..head_end];
        assert!(head.ends_with(b"\r\n"), "{}", e.name);
        for (i, &b) in head.iter().enumerate() {
            if b == b'\n' {
                assert!(i > 0 && head[i - 1] == b'\r', "{}: bare LF at {i}", e.name);
            }
        }
    }
    // The odd bytes the RFC puts in them survive a checkout.
    let by_name = |n: &str| entries.iter().find(|e| e.name == n).unwrap().bytes();
    let intmeth = by_name("intmeth");
    for needle in [&b"\\\x00"[..], b"\\\x07", b"\\\x7f", "\u{feff}".as_bytes(), "работающий".as_bytes()]
    {
        assert!(intmeth.windows(needle.len()).any(|w| w == needle), "intmeth lacks {needle:?}");
    }
    let mpart = by_name("mpart01");
    assert_eq!(mpart.iter().filter(|&&b| b == 0).count(), 2, "mpart01's binary part");
    assert!(mpart.windows(2).any(|w| w == b"\xf7\r"), "a CR inside the binary part");
    assert!(by_name("trws").starts_with(b"OPTIONS sip:remote-target@example.com SIP/2.0  \r\n"));
    assert!(!by_name("baddn").ends_with(b"\r\n\r\n"), "baddn has no empty line after its headers");
}

/// Each typed view a UAS reads, in the order the manifest names them.
type View = fn(&Message) -> Result<(), ParseErrorKind>;

fn each<'a, T: 'a>(items: impl Iterator<Item = Result<T, ParseError>>) -> Result<Vec<T>, ParseErrorKind> {
    items.map(|r| r.map_err(|e| e.kind)).collect()
}

const VIEWS: &[(&str, View)] = &[
    ("ruri", |m| if m.is_request() { m.parse_request_uri().map(drop).map_err(|e| e.kind) } else { Ok(()) }),
    ("via", |m| each(m.vias()).map(drop)),
    ("from", |m| m.from().and_then(|f| f.parse_uri()).map(drop).map_err(|e| e.kind)),
    ("to", |m| m.to().and_then(|t| t.parse_uri()).map(drop).map_err(|e| e.kind)),
    (
        "call-id",
        |m| if m.call_id().is_empty() { Err(ParseErrorKind::BadHeaderValue("Call-ID")) } else { Ok(()) },
    ),
    ("cseq", |m| m.cseq().map(drop)),
    ("max-forwards", |m| m.max_forwards().map_or(Ok(()), |r| r.map(drop).map_err(|e| e.kind))),
    ("content-length", |m| match m.content_length() {
        Some(Ok(n)) if n as usize != m.body().len() => Err(ParseErrorKind::BadContentLength),
        Some(r) => r.map(drop).map_err(|e| e.kind),
        None => Ok(()),
    }),
    ("contact", |m| {
        for c in each(m.contacts())? {
            if !c.is_star() {
                c.parse_uri().map_err(|e| e.kind)?;
            }
        }
        Ok(())
    }),
    ("route", |m| each(m.routes())?.iter().try_for_each(|r| r.parse_uri().map(drop).map_err(|e| e.kind))),
    ("record-route", |m| {
        each(m.record_routes())?.iter().try_for_each(|r| r.parse_uri().map(drop).map_err(|e| e.kind))
    }),
];

/// A kind as the manifest writes it: its Debug text without quotes.
fn kind_text(k: ParseErrorKind) -> String {
    format!("{k:?}").replace('"', "")
}

/// What the parser makes of one message, in the manifest's words.
fn parser_outcome(bytes: &[u8]) -> String {
    match Message::parse(Bytes::copy_from_slice(bytes)) {
        Err(e) => format!("error {}", kind_text(e.kind)),
        Ok(m) => VIEWS
            .iter()
            .find_map(|(name, view)| view(&m).err().map(|k| format!("view {name} {}", kind_text(k))))
            .unwrap_or_else(|| "ok".into()),
    }
}

#[test]
fn parser_outcomes_match_the_manifest() {
    let mut wrong = Vec::new();
    for e in manifest() {
        let got = parser_outcome(&e.bytes());
        let want = e.parse_asserted();
        if !want.contains(&got) {
            wrong.push(format!("{} ({}): got {got:?}, manifest asserts {want:?}", e.name, e.section));
        }
    }
    assert!(wrong.is_empty(), "parser outcomes differ from the manifest:\n{}", wrong.join("\n"));
}

/// The facts of a parsed message that the manifest's `flags` name.
fn flags_of(m: &Message, datagram_len: usize) -> Vec<String> {
    let mut f = Vec::new();
    if m.len() < datagram_len {
        f.push("trailing-octets");
    }
    if m.parse_request_uri().is_ok_and(|u| !u.headers.is_empty()) {
        f.push("ruri-headers");
    }
    if m.parse_request_uri().is_ok_and(|u| u.scheme == Scheme::Other) {
        f.push("ruri-unknown-scheme");
    }
    if m.via().is_ok_and(|v| v.branch() == Some(MAGIC_COOKIE)) {
        f.push("bare-branch");
    }
    if m.content_length().is_none() {
        f.push("no-content-length");
    }
    f.into_iter().map(String::from).collect()
}

#[test]
fn flags_match_the_manifest() {
    let mut parsed = 0;
    for e in manifest() {
        let bytes = e.bytes();
        let Ok(m) = Message::parse(Bytes::copy_from_slice(&bytes)) else { continue };
        parsed += 1;
        assert_eq!(flags_of(&m, bytes.len()), e.flags, "{} ({})", e.name, e.section);
    }
    assert!(parsed >= 30, "only {parsed} messages parse: the flags tested little");
}

fn frame_text(r: Result<StreamFrame, ParseError>, len: usize) -> String {
    match r {
        Ok(StreamFrame::Message(n)) if n == len => "message".into(),
        Ok(StreamFrame::Message(n)) => format!("message {n}"),
        Ok(StreamFrame::Incomplete) => "incomplete".into(),
        Ok(StreamFrame::KeepAlive(n)) => format!("keepalive {n}"),
        Err(e) => format!("error {}", kind_text(e.kind)),
    }
}

#[test]
fn stream_framing_matches_the_manifest() {
    let limits = ParseLimits::default();
    let mut wrong = Vec::new();
    for e in manifest() {
        let bytes = e.bytes();
        let got = frame_text(stream_frame(&bytes, &limits), bytes.len());
        if !e.stream_asserted().contains(&got) {
            wrong.push(format!("{}: got {got:?}, manifest asserts {:?}", e.name, e.stream_asserted()));
        }
    }
    assert!(wrong.is_empty(), "stream framing differs from the manifest:\n{}", wrong.join("\n"));
}

/// What the RFC says the valid messages mean, read through the views.
/// Each check runs when the manifest asserts that the message parses.
#[test]
fn valid_messages_mean_what_the_rfc_says() {
    let mut checked = 0;
    for e in manifest() {
        if !e.parse_asserted().iter().any(|p| p == "ok") {
            continue;
        }
        let bytes = e.bytes();
        let m = Message::parse(Bytes::copy_from_slice(&bytes)).unwrap();
        if let Some(check) = DETAILS.iter().find(|(n, _)| *n == e.name).map(|(_, c)| c) {
            check(&m);
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} detail checks ran");
}

fn uri_user(u: &Uri) -> String {
    u.user_unescaped().unwrap().into_owned()
}

/// A check of one message's meaning.
type Detail = fn(&Message);

const DETAILS: &[(&str, Detail)] = &[
    ("wsinv", |m| {
        assert_eq!(m.method(), Method::Invite);
        assert_eq!(m.parse_request_uri().unwrap().param("unknownparam"), Some(""));
        assert_eq!(m.to().unwrap().tag(), Some("1918181833n"));
        assert_eq!(m.from().unwrap().tag(), Some("98asjd8"));
        assert_eq!(m.from().unwrap().display_name, Some(r#"J Rosenberg \\\""#));
        assert_eq!(m.max_forwards().unwrap().unwrap(), 68);
        assert_eq!((m.cseq().unwrap().seq, m.cseq().unwrap().method), (9, Method::Invite));
        let vias: Vec<_> = m.vias().map(|v| v.unwrap()).collect();
        let got: Vec<_> = vias.iter().map(|v| (v.transport, v.host, v.branch())).collect();
        assert_eq!(
            got,
            [
                ("UDP", "192.0.2.2", Some("390skdjuw")),
                ("TCP", "spindle.example.com", Some("z9hG4bK9ikj8")),
                ("UDP", "192.168.255.111", Some("z9hG4bK30239")),
            ]
        );
        assert_eq!(m.header_by_name("UnknownHeaderWithUnusualValue"), Some(";;,,;;,;"));
        assert_eq!(m.header(HeaderName::Subject), Some(""));
        let c = m.contact().unwrap().unwrap();
        assert_eq!(
            (c.param("newparam"), c.param("secondparam"), c.param("q")),
            (Some("newvalue"), Some(""), Some("0.33"))
        );
        assert_eq!(m.body().len(), 150);
    }),
    ("intmeth", |m| {
        assert_eq!(
            (m.method(), m.method_name()),
            (Method::Extension, "!interesting-Method0123456789_*+`.%indeed'~")
        );
        assert_eq!(m.to().unwrap().display_name, Some("BEL:\\\x07 NUL:\\\0 DEL:\\\x7f"));
        assert_eq!(m.from().unwrap().tag(), Some("_token~1'+`*%!-."));
        assert_eq!(m.call_id(), "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
        assert_eq!(m.header_by_name("extensionHeader-!.%*+_`'~"), Some("\u{feff}大停電"));
    }),
    ("esc01", |m| {
        assert_eq!(uri_user(&m.parse_request_uri().unwrap()), "sips:user@example.com");
        assert_eq!(uri_user(&m.to().unwrap().parse_uri().unwrap()), "user");
        assert_eq!(uri_user(&m.from().unwrap().parse_uri().unwrap()), "I have spaces");
        let c = m.contact().unwrap().unwrap().parse_uri().unwrap();
        assert_eq!(uri_user(&c), "caller");
        assert_eq!(c.param("n%61me"), Some("v%61lue%25%34%31"));
    }),
    ("escnull", |m| {
        assert_eq!(uri_user(&m.to().unwrap().parse_uri().unwrap()), "null-\0-null");
        let users: Vec<String> = m.contacts().map(|c| uri_user(&c.unwrap().parse_uri().unwrap())).collect();
        assert_eq!(users, ["\0", "\0\0"], "two distinct contacts");
    }),
    ("esc02", |m| {
        assert_eq!((m.method(), m.method_name()), (Method::Extension, "RE%47IST%45R"));
        assert_eq!(m.contacts().count(), 2, "C%6Fntact is another header, not Contact");
        assert_eq!(m.to().unwrap().display_name, Some("%Z%45"));
    }),
    ("lwsdisp", |m| {
        let from = m.from().unwrap();
        assert_eq!((from.display_name, from.uri), (Some("caller"), "sip:caller@example.com"));
    }),
    ("longreq", |m| {
        assert_eq!(m.vias().count(), 34);
        assert_eq!(m.via().unwrap().host, "sip33.example.com");
        let last = m.vias().last().unwrap().unwrap();
        assert_eq!(last.branch().unwrap(), format!("very{}branchvalue", "long".repeat(50)));
        assert_eq!(m.from().unwrap().tag().unwrap(), format!("12{}424", "982".repeat(50)));
        assert_eq!(m.call_id(), format!("longreq.one{}longcallid", "really".repeat(20)));
        assert_eq!(m.to().unwrap().parse_uri().unwrap().port, Some(6000));
    }),
    ("dblreq", |m| {
        assert_eq!(m.method(), Method::Register);
        assert_eq!(m.body(), b"");
        assert_eq!(m.len(), 300, "the INVITE after the REGISTER is not part of it");
    }),
    ("semiuri", |m| {
        let u = m.parse_request_uri().unwrap();
        assert_eq!((uri_user(&u), u.host_str), ("user;par=u@example.net".to_string(), "example.com"));
    }),
    ("transports", |m| {
        let t: Vec<_> = m.vias().map(|v| v.unwrap().transport).collect();
        assert_eq!(t, ["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"]);
    }),
    ("mpart01", |m| {
        assert_eq!(m.method(), Method::Message);
        assert_eq!(m.body().len(), 553);
        assert!(m.body().ends_with(b"--7a9cbec02ceef655--\r\n"));
        assert_eq!(m.content_type().unwrap().param("boundary"), Some("7a9cbec02ceef655"));
    }),
    ("unreason", |m| {
        assert_eq!(m.status_code(), Some(200));
        assert_eq!(m.reason(), "= 2**3 * 5**2 но сто девяносто девять - простое");
    }),
    ("noreason", |m| assert_eq!((m.status_code(), m.reason()), (Some(100), ""))),
    ("escruri", |m| {
        assert_eq!(m.parse_request_uri().unwrap().headers, "Route=%3Csip:example.com%3E");
    }),
    ("baddate", |m| assert_eq!(m.header(HeaderName::Date), Some("Fri, 01 Jan 2010 16:00:00 EST"))),
    ("badbranch", |m| assert_eq!(m.via().unwrap().branch(), Some("z9hG4bK"))),
    ("unkscm", |m| {
        let u = m.parse_request_uri().unwrap();
        assert_eq!((u.scheme, u.raw), (Scheme::Other, "nobodyKnowsThisScheme:totallyopaquecontent"));
    }),
    ("novelsc", |m| assert_eq!(m.parse_request_uri().unwrap().scheme, Scheme::Other)),
    ("unksm2", |m| {
        assert_eq!(m.to().unwrap().parse_uri().unwrap().scheme, Scheme::Other);
        assert_eq!(m.from().unwrap().parse_uri().unwrap().scheme, Scheme::Other);
        assert_eq!(m.contact().unwrap().unwrap().uri, "name:John_Smith");
    }),
    ("bext01", |m| {
        assert_eq!(m.require().collect::<Vec<_>>(), ["nothingSupportsThis", "nothingSupportsThisEither"]);
        assert_eq!(
            m.header(HeaderName::ProxyRequire),
            Some("noProxiesSupportThis, norDoAnyProxiesSupportThis")
        );
    }),
    ("invut", |m| assert_eq!(m.content_type().unwrap().value, "application/unknownformat")),
    ("regaut01", |m| {
        assert_eq!(m.header(HeaderName::Authorization), Some("NoOneKnowsThisScheme opaque-data=here"))
    }),
    ("bcast", |m| assert_eq!(m.vias().nth(1).unwrap().unwrap().host, "255.255.255.255")),
    ("zeromf", |m| assert_eq!(m.max_forwards().unwrap().unwrap(), 0)),
    ("cparam01", |m| {
        let c = m.contact().unwrap().unwrap();
        assert_eq!(c.param("unknownparam"), Some(""), "a contact-param");
        assert_eq!(c.parse_uri().unwrap().param("unknownparam"), None);
    }),
    ("cparam02", |m| {
        let c = m.contact().unwrap().unwrap();
        assert_eq!(c.param("unknownparam"), None);
        assert_eq!(c.parse_uri().unwrap().param("unknownparam"), Some(""), "a url-param");
    }),
    ("regescrt", |m| {
        let c = m.contact().unwrap().unwrap().parse_uri().unwrap();
        assert_eq!(c.headers, "Route=%3Csip:sip.example.com%3E");
    }),
    ("sdp01", |m| assert_eq!(m.header(HeaderName::Accept), Some("text/nobodyKnowsThis"))),
    ("inv2543", |m| {
        assert_eq!(m.via().unwrap().branch(), None);
        assert_eq!(m.from().unwrap().tag(), None);
        assert_eq!(m.max_forwards(), None);
        assert!(m.body().starts_with(b"v=0\r\n") && m.body().ends_with(b"RTP/AVP 0\r\n"));
    }),
];

/// Every entry is used by a check above, or deliberately by none.
#[test]
fn detail_checks_name_real_messages() {
    let names: Vec<String> = manifest().into_iter().map(|e: Entry| e.name).collect();
    for (n, _) in DETAILS {
        assert!(names.iter().any(|x| x == n), "{n} is not in the manifest");
    }
}
