//! Parser, typed views and writer on typical SIPp traffic.

use bytes::Bytes;
use sipbench::sip::*;

const INVITE: &[u8] = b"INVITE sip:service@127.0.0.1:5060 SIP/2.0\r\n\
Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-4242-1-0\r\n\
From: sipp <sip:sipp@127.0.0.1:5061>;tag=4242SIPpTag001\r\n\
To: service <sip:service@127.0.0.1:5060>\r\n\
Call-ID: 1-4242@127.0.0.1\r\n\
CSeq: 1 INVITE\r\n\
Contact: sip:sipp@127.0.0.1:5061\r\n\
Max-Forwards: 70\r\n\
Subject: Performance Test\r\n\
Content-Type: application/sdp\r\n\
Content-Length:   129\r\n\
\r\n\
v=0\r\n\
o=user1 53655765 2353687637 IN IP4 127.0.0.1\r\n\
s=-\r\n\
c=IN IP4 127.0.0.1\r\n\
t=0 0\r\n\
m=audio 6000 RTP/AVP 0\r\n\
a=rtpmap:0 PCMU/8000\r\n";

#[test]
fn sipp_invite_fields() {
    let m = Message::parse(Bytes::from_static(INVITE)).unwrap();
    assert!(m.is_request());
    assert_eq!(m.method(), Method::Invite);
    assert_eq!(m.request_uri(), "sip:service@127.0.0.1:5060");
    let via = m.via().unwrap();
    assert_eq!((via.protocol, via.version, via.transport), ("SIP", "2.0", "UDP"));
    assert_eq!((via.host, via.port), ("127.0.0.1", Some(5061)));
    assert_eq!(via.branch(), Some("z9hG4bK-4242-1-0"));
    assert!(via.is_rfc3261_branch());
    let from = m.from().unwrap();
    assert_eq!(from.display_name, Some("sipp"));
    assert_eq!(from.uri, "sip:sipp@127.0.0.1:5061");
    assert_eq!(from.tag(), Some("4242SIPpTag001"));
    assert_eq!(m.to().unwrap().tag(), None);
    assert_eq!(m.call_id(), "1-4242@127.0.0.1");
    let cseq = m.cseq().unwrap();
    assert_eq!((cseq.seq, cseq.method, cseq.method_name), (1, Method::Invite, "INVITE"));
    assert_eq!(m.max_forwards().unwrap().unwrap(), 70);
    assert_eq!(m.content_length().unwrap().unwrap(), 129);
    assert_eq!(m.content_type().unwrap().value, "application/sdp");
    let contact = m.contact().unwrap().unwrap();
    assert!(!contact.bracketed);
    let uri = contact.parse_uri().unwrap();
    assert_eq!(uri.user, Some("sipp"));
    assert_eq!(uri.port, Some(5061));
    assert_eq!(m.body().len(), 129);
    assert!(m.body().starts_with(b"v=0\r\n"));
    assert_eq!(m.header_by_name("subject"), Some("Performance Test"));
    assert_eq!(m.header_by_name("s"), Some("Performance Test"));
}

/// Header lines at every alignment against the parser's 64-byte scan
/// blocks (names straddling a block edge, a line longer than a block, a
/// colon only in a later line), checked against a naive line split.
#[test]
fn header_index_is_independent_of_block_alignment() {
    let long_value = "x:".repeat(90);
    for pad in 0..140 {
        let uri = format!("sip:{}@example.com", "u".repeat(pad));
        let raw = format!(
            "OPTIONS {uri} SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nX-Long-Header-Name-Of-Some-Size : {long_value}\r\n\
             From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: c1\r\nCSeq: 7 OPTIONS\r\nl: 0\r\n\r\n"
        );
        let m = Message::parse(Bytes::from(raw.clone())).unwrap_or_else(|e| panic!("pad {pad}: {e}"));
        let want: Vec<(String, String)> = raw
            .split("\r\n")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .map(|l| {
                let (n, v) = l.split_once(':').unwrap();
                (n.trim().to_string(), v.trim().to_string())
            })
            .collect();
        let got: Vec<(String, String)> =
            m.headers().map(|h| (h.raw_name.to_string(), h.value.to_string())).collect();
        assert_eq!(got, want, "pad {pad}");
        assert_eq!(m.call_id(), "c1");
        assert_eq!(m.cseq().unwrap().seq, 7);

        let no_colon = raw.replace("To: <sip:c@d>", "To c-at-d");
        let err = Message::parse(Bytes::from(no_colon)).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::MissingColon, "pad {pad}");
    }
}

/// The top Via and the tags are parsed once and remembered: a second read
/// gives what the first did, for plain and for general shapes.
#[test]
fn remembered_values_read_back_the_same() {
    let vias = [
        "SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1;rport",
        "SIP / 2.0 / UDP [::1]:5062 ; branch=z9hG4bK-2 ; received=10.0.0.1, SIP/2.0/TCP b",
        "SIP/2.0/UDP host",
    ];
    for (via, to) in vias.iter().zip(["<sip:b@c>;tag=t1", "\"B\" <sip:b@c>", "sip:b@c;tag=x;foo"]) {
        let raw = format!(
            "OPTIONS sip:b@c SIP/2.0\r\nVia: {via}\r\nFrom: <sip:a@b>;tag=f1\r\nTo: {to}\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n"
        );
        let m = Message::parse(Bytes::from(raw)).unwrap();
        let first = m.via().unwrap();
        assert_eq!(m.via().unwrap(), first, "{via}");
        assert_eq!((first.branch(), first.rport()), (m.via().unwrap().branch(), m.via().unwrap().rport()));
        for _ in 0..2 {
            assert_eq!(m.from_tag().unwrap(), m.from().unwrap().tag());
            assert_eq!(m.to_tag().unwrap(), m.to().unwrap().tag());
        }
    }
}
