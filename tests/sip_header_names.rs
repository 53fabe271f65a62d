//! Header name classification: every known name in any case, read alone
//! (the end of a buffer) and inside a message (words loaded past the
//! name), and near misses that must stay `Other`.

use bytes::Bytes;
use sipbench::sip::{HeaderName as H, Message};

#[rustfmt::skip]
const KNOWN: &[(&str, H)] = &[
    ("Via", H::Via), ("From", H::From), ("To", H::To), ("Call-ID", H::CallId), ("CSeq", H::CSeq),
    ("Contact", H::Contact), ("Max-Forwards", H::MaxForwards), ("Content-Length", H::ContentLength),
    ("Content-Type", H::ContentType), ("Route", H::Route), ("Record-Route", H::RecordRoute),
    ("Allow", H::Allow), ("Supported", H::Supported), ("Require", H::Require),
    ("Proxy-Require", H::ProxyRequire), ("Unsupported", H::Unsupported), ("Expires", H::Expires),
    ("Min-Expires", H::MinExpires), ("Event", H::Event), ("Allow-Events", H::AllowEvents),
    ("Subscription-State", H::SubscriptionState), ("Refer-To", H::ReferTo),
    ("Referred-By", H::ReferredBy), ("Session-Expires", H::SessionExpires), ("Min-SE", H::MinSe),
    ("Subject", H::Subject), ("Content-Encoding", H::ContentEncoding),
    ("Content-Disposition", H::ContentDisposition), ("Accept", H::Accept),
    ("Accept-Contact", H::AcceptContact), ("Reject-Contact", H::RejectContact),
    ("Request-Disposition", H::RequestDisposition), ("Identity", H::Identity),
    ("Identity-Info", H::IdentityInfo), ("User-Agent", H::UserAgent), ("Server", H::Server),
    ("Authorization", H::Authorization), ("Proxy-Authorization", H::ProxyAuthorization),
    ("WWW-Authenticate", H::WwwAuthenticate), ("Proxy-Authenticate", H::ProxyAuthenticate),
    ("Retry-After", H::RetryAfter), ("RSeq", H::Rseq), ("RAck", H::Rack), ("Reason", H::Reason),
    ("Timestamp", H::Timestamp), ("Date", H::Date), ("Warning", H::Warning),
];

/// What a name should classify as, by the list above (compact forms aside).
fn expected(name: &str) -> H {
    KNOWN.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map_or(H::Other, |&(_, h)| h)
}

/// The name as the value of one extra header line of a request, so the
/// classifier sees it with the rest of the message after it.
fn classify_in_message(name: &str) -> H {
    let raw = format!(
        "OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n\
         {name}: 0\r\nFrom: <sip:b@127.0.0.1>;tag=1\r\nTo: <sip:a@127.0.0.1>\r\nCall-ID: c\r\n\
         CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
    );
    let m = Message::parse_unvalidated(Bytes::from(raw), &Default::default()).expect("parses");
    m.headers().find(|h| h.raw_name == name).expect("the line is indexed").name
}

fn cases(name: &str) -> [String; 3] {
    let mixed: String = name
        .chars()
        .enumerate()
        .map(|(i, c)| if i % 2 == 0 { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
        .collect();
    [name.to_ascii_lowercase(), name.to_ascii_uppercase(), mixed]
}

#[test]
fn every_known_name_in_any_case_alone_and_inside_a_message() {
    for &(name, want) in KNOWN {
        for spelled in cases(name) {
            assert_eq!(H::from_bytes(spelled.as_bytes()), want, "{spelled} alone");
            assert_eq!(classify_in_message(&spelled), want, "{spelled} in a message");
        }
        assert_eq!(want.as_str(), name);
    }
}

#[test]
fn compact_forms_and_single_letters() {
    let compact = [
        ('v', H::Via),
        ('f', H::From),
        ('t', H::To),
        ('i', H::CallId),
        ('m', H::Contact),
        ('l', H::ContentLength),
        ('c', H::ContentType),
        ('k', H::Supported),
        ('o', H::Event),
        ('u', H::AllowEvents),
        ('r', H::ReferTo),
        ('b', H::ReferredBy),
        ('x', H::SessionExpires),
        ('s', H::Subject),
        ('e', H::ContentEncoding),
        ('a', H::AcceptContact),
        ('j', H::RejectContact),
        ('d', H::RequestDisposition),
        ('y', H::Identity),
        ('n', H::IdentityInfo),
    ];
    for c in 'a'..='z' {
        let want = compact.iter().find(|(k, _)| *k == c).map_or(H::Other, |&(_, h)| h);
        for s in [c.to_string(), c.to_ascii_uppercase().to_string()] {
            assert_eq!(H::from_bytes(s.as_bytes()), want, "{s} alone");
            assert_eq!(classify_in_message(&s), want, "{s} in a message");
        }
    }
}

/// Every one-letter change, a letter more or less, and '-' for '_':
/// only an exact (case-folded) match of a known name may classify.
#[test]
fn near_misses_stay_other() {
    for &(name, _) in KNOWN {
        let mut misses = vec![name[..name.len() - 1].to_string(), format!("{name}s"), format!("x{name}")];
        misses.push(name.replace('-', "_"));
        for (i, c) in name.char_indices() {
            let other = if c == 'z' || c == 'Z' { 'q' } else { (c as u8 + 1) as char };
            let mut s = name.to_string();
            s.replace_range(i..i + 1, &other.to_string());
            misses.push(s);
        }
        for miss in misses {
            if miss.is_empty() || miss.len() == 1 {
                continue;
            }
            assert_eq!(H::from_bytes(miss.as_bytes()), expected(&miss), "{miss} alone");
            if miss.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')) {
                assert_eq!(classify_in_message(&miss), expected(&miss), "{miss} in a message");
            }
        }
    }
}
