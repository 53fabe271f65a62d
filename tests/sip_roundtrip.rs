//! Writer round trips: responses and requests built by `Writer` parse back
//! to the values they were built from.

use bytes::{Bytes, BytesMut};
use sipbench::sip::*;

const SDP: &[u8] =
    b"v=0\r\no=bob 1 1 IN IP4 192.0.2.4\r\ns=-\r\nc=IN IP4 192.0.2.4\r\nt=0 0\r\nm=audio 3456 RTP/AVP 0\r\n";

const INVITE: &[u8] = b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1, SIP/2.0/TCP relay.example.com:5070;branch=z9hG4bKr1\r\n\
v: SIP/2.0/UDP 192.0.2.1:5061;branch=z9hG4bKuac1;rport\r\n\
Max-Forwards: 68\r\n\
Route: <sip:edge.example.com;lr>\r\n\
To: \"Bob, B\" <sip:bob@biloxi.example.com>\r\n\
f: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n\
CSeq: 314159 INVITE\r\n\
Contact: <sip:alice@192.0.2.1:5061>\r\n\
Content-Length: 0\r\n\r\n";

fn invite() -> Message {
    Message::parse(Bytes::from_static(INVITE)).unwrap()
}

fn head(code: u16, reason: &'static str) -> ResponseHead<'static> {
    ResponseHead { code, reason, to_tag: None, source: None }
}

fn branches(m: &Message) -> Vec<String> {
    m.vias().map(|v| v.unwrap().branch().unwrap().to_string()).collect()
}

/// What every response to `INVITE` must copy unchanged.
fn assert_copied(req: &Message, resp: &Message) {
    assert_eq!(branches(resp), branches(req), "Via chain, in order");
    assert_eq!(resp.from().unwrap(), req.from().unwrap());
    assert_eq!(resp.to().unwrap().uri, req.to().unwrap().uri);
    assert_eq!(resp.to().unwrap().display_name, Some("Bob, B"));
    assert_eq!(resp.call_id(), req.call_id());
    assert_eq!(resp.cseq().unwrap(), req.cseq().unwrap());
    assert_eq!(resp.method(), Method::Invite);
}

#[test]
fn provisional_and_final_responses() {
    let req = invite();
    let mut w = Writer::new();
    let trying = Message::parse(w.response(&req, head(100, "Trying")).finish()).unwrap();
    assert_eq!((trying.status_code(), trying.reason()), (Some(100), "Trying"));
    assert_copied(&req, &trying);
    assert_eq!(trying.to().unwrap().tag(), None);
    assert_eq!(trying.content_length().unwrap().unwrap(), 0);
    assert!(trying.body().is_empty());

    let ringing = w.response(&req, ResponseHead { to_tag: Some("as83kd9"), ..head(180, "Ringing") });
    let ringing = Message::parse(ringing.contact("sip:bob@192.0.2.4").finish()).unwrap();
    assert_copied(&req, &ringing);
    assert_eq!(ringing.to().unwrap().tag(), Some("as83kd9"));
    assert_eq!(ringing.contact().unwrap().unwrap().uri, "sip:bob@192.0.2.4");

    let ok = w.response(&req, ResponseHead { to_tag: Some("as83kd9"), ..head(200, "OK") });
    let ok = Message::parse(ok.contact("sip:bob@192.0.2.4").body("application/sdp", SDP)).unwrap();
    assert_copied(&req, &ok);
    assert_eq!((ok.status_code(), ok.reason()), (Some(200), "OK"));
    assert_eq!(ok.to().unwrap().tag(), Some("as83kd9"));
    assert_eq!(ok.content_type().unwrap().value, "application/sdp");
    assert_eq!(ok.content_length().unwrap().unwrap() as usize, SDP.len());
    assert_eq!(ok.body(), SDP);

    let busy = Message::parse(
        w.response(&req, ResponseHead { to_tag: Some("b1"), ..head(486, "Busy Here") }).finish(),
    );
    let busy = busy.unwrap();
    assert_copied(&req, &busy);
    assert_eq!(
        (busy.status_code(), busy.reason(), busy.to().unwrap().tag()),
        (Some(486), "Busy Here", Some("b1"))
    );
}

#[test]
fn to_tag_is_not_added_twice() {
    let with_tag = std::str::from_utf8(INVITE)
        .unwrap()
        .replace("<sip:bob@biloxi.example.com>\r\n", "<sip:bob@biloxi.example.com>;tag=old\r\n");
    let req = Message::parse(Bytes::from(with_tag)).unwrap();
    let mut w = Writer::new();
    let resp = w.response(&req, ResponseHead { to_tag: Some("new"), ..head(200, "OK") }).finish();
    let resp = Message::parse(resp).unwrap();
    assert_eq!(resp.to().unwrap().tag(), Some("old"));
    assert_eq!(resp.to().unwrap().params().count(), 1);
}

#[test]
fn source_sets_received_and_rport_on_the_top_via_only() {
    let req = invite();
    let mut w = Writer::new();
    let source = Some("198.51.100.7:40001".parse().unwrap());
    let resp = w.response(&req, ResponseHead { source, ..head(200, "OK") }).finish();
    let resp = Message::parse(resp).unwrap();
    let vias: Vec<_> = resp.vias().map(Result::unwrap).collect();
    assert_eq!(vias.len(), 3);
    assert_eq!((vias[0].host, vias[0].branch()), ("proxy.example.com", Some("z9hG4bKp1")));
    assert_eq!(vias[0].received(), Some("198.51.100.7"), "sent-by is a name, so received is added");
    assert_eq!(vias[0].rport(), None, "no rport asked for");
    assert_eq!((vias[1].received(), vias[2].received()), (None, None));
    assert_eq!(vias[2].rport(), Some(None), "only the top Via changes");
    assert_copied(&req, &resp);

    // Top Via asking for rport: both filled in.
    let uac = std::str::from_utf8(INVITE).unwrap().replace(
        "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1, SIP/2.0/TCP relay.example.com:5070;branch=z9hG4bKr1\r\n",
        "",
    );
    let req = Message::parse(Bytes::from(uac)).unwrap();
    let resp =
        Message::parse(w.response(&req, ResponseHead { source, ..head(100, "Trying") }).finish()).unwrap();
    let top = resp.via().unwrap();
    assert_eq!((top.host, top.port, top.branch()), ("192.0.2.1", Some(5061), Some("z9hG4bKuac1")));
    assert_eq!((top.received(), top.rport()), (Some("198.51.100.7"), Some(Some(40001))));
    assert_eq!(resp.vias().count(), 1);
}

#[test]
fn requests_from_the_builder() {
    let mut w = Writer::new();
    let routes = ["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"];
    let inv = w
        .request("INVITE", "sip:bob@biloxi.example.com")
        .via("UDP", "192.0.2.1:5060", "z9hG4bKnew1")
        .max_forwards(70)
        .routes(routes)
        .name_addr(HeaderName::From, "Alice <sip:alice@atlanta.example.com>", Some("ft1"))
        .name_addr(HeaderName::To, "<sip:bob@biloxi.example.com>", None)
        .call_id("built.1@192.0.2.1")
        .cseq(1, "INVITE")
        .contact("sip:alice@192.0.2.1:5060")
        .body("application/sdp", SDP);
    let m = Message::parse(inv).unwrap();
    assert_eq!((m.method(), m.request_uri()), (Method::Invite, "sip:bob@biloxi.example.com"));
    let via = m.via().unwrap();
    assert_eq!(
        (via.transport, via.host, via.port, via.branch()),
        ("UDP", "192.0.2.1", Some(5060), Some("z9hG4bKnew1"))
    );
    assert_eq!(via.rport(), Some(None));
    assert_eq!(m.max_forwards().unwrap().unwrap(), 70);
    let r: Vec<_> = m.routes().map(|r| r.unwrap().uri).collect();
    assert_eq!(r, ["sip:p1.example.com;lr", "sip:p2.example.com;lr"]);
    assert_eq!((m.from().unwrap().display_name, m.from().unwrap().tag()), (Some("Alice"), Some("ft1")));
    assert_eq!(m.to().unwrap().tag(), None);
    assert_eq!(m.call_id(), "built.1@192.0.2.1");
    assert_eq!(m.cseq().unwrap().seq, 1);
    assert_eq!(m.body(), SDP);
    assert_eq!(m.content_length().unwrap().unwrap() as usize, SDP.len());

    let bye = w
        .request("BYE", "sip:alice@192.0.2.1:5060")
        .via("TCP", "[2001:db8::4]:5070", "z9hG4bKbye1")
        .max_forwards(69)
        .name_addr(HeaderName::From, "<sip:bob@biloxi.example.com>", Some("tt1"))
        .name_addr(HeaderName::To, "Alice <sip:alice@atlanta.example.com>", Some("ft1"))
        .call_id("built.1@192.0.2.1")
        .cseq(2, "BYE")
        .finish();
    let bye = Message::parse(bye).unwrap();
    assert_eq!(bye.method(), Method::Bye);
    assert_eq!((bye.via().unwrap().host, bye.via().unwrap().port), ("2001:db8::4", Some(5070)));
    assert_eq!((bye.from().unwrap().tag(), bye.to().unwrap().tag()), (Some("tt1"), Some("ft1")));
    assert_eq!((bye.cseq().unwrap().seq, bye.cseq().unwrap().method), (2, Method::Bye));
    assert!(bye.body().is_empty());

    let reinvite = w
        .request("INVITE", "sip:alice@192.0.2.1:5060")
        .via("UDP", "192.0.2.4", "z9hG4bKre1")
        .max_forwards(70)
        .name_addr(HeaderName::From, "<sip:bob@biloxi.example.com>", Some("tt1"))
        .name_addr(HeaderName::To, "<sip:alice@atlanta.example.com>", Some("ft1"))
        .call_id("built.1@192.0.2.1")
        .cseq(3, "INVITE")
        .header("Session-Expires", "1800;refresher=uas")
        .body("application/sdp", SDP);
    let re = Message::parse(reinvite).unwrap();
    assert_eq!((re.method(), re.cseq().unwrap().seq, re.body()), (Method::Invite, 3, SDP));
    assert_eq!(re.session_expires().unwrap().refresher, Some("uas"));

    let options = w
        .request("OPTIONS", "sip:biloxi.example.com")
        .via("UDP", "192.0.2.1", "z9hG4bKopt")
        .name_addr(HeaderName::From, "<sip:alice@atlanta.example.com>", Some("o1"))
        .name_addr(HeaderName::To, "<sip:biloxi.example.com>", None)
        .call_id("opt.1")
        .cseq(9, "OPTIONS")
        .header("Accept", "application/sdp")
        .finish();
    let opt = Message::parse(options).unwrap();
    assert_eq!(
        (opt.method(), opt.call_id(), opt.header(HeaderName::Accept)),
        (Method::Options, "opt.1", Some("application/sdp"))
    );
    assert_eq!(opt.max_forwards(), None);
}

#[test]
fn cancel_and_ack_derived_from_the_invite() {
    let req = invite();
    let mut w = Writer::new();
    let cancel = Message::parse(w.cancel_for(&req)).unwrap();
    assert_eq!((cancel.method(), cancel.request_uri()), (Method::Cancel, req.request_uri()));
    assert_eq!(branches(&cancel), ["z9hG4bKp1"], "only the top Via");
    assert_eq!(cancel.from().unwrap(), req.from().unwrap());
    assert_eq!(cancel.to().unwrap(), req.to().unwrap());
    assert_eq!(cancel.call_id(), req.call_id());
    let cseq = cancel.cseq().unwrap();
    assert_eq!((cseq.seq, cseq.method), (314159, Method::Cancel));
    assert_eq!(cancel.routes().map(|r| r.unwrap().uri).collect::<Vec<_>>(), ["sip:edge.example.com;lr"]);
    assert_eq!(cancel.max_forwards().unwrap().unwrap(), 70);

    let busy = w.response(&req, ResponseHead { to_tag: Some("busy9"), ..head(486, "Busy Here") }).finish();
    let busy = Message::parse(busy).unwrap();
    let ack = Message::parse(w.ack_for_non2xx(&req, &busy)).unwrap();
    assert_eq!((ack.method(), ack.request_uri()), (Method::Ack, req.request_uri()));
    assert_eq!(branches(&ack), ["z9hG4bKp1"], "the ACK of a non-2xx shares the INVITE's branch");
    assert_eq!(ack.to().unwrap().tag(), Some("busy9"));
    assert_eq!(ack.from().unwrap().tag(), Some("1928301774"));
    let cseq = ack.cseq().unwrap();
    assert_eq!((cseq.seq, cseq.method), (314159, Method::Ack));
    assert_eq!(ack.call_id(), req.call_id());
}

/// `encode` of a parsed message parses back to the same message.
#[test]
fn encode_round_trip() {
    let req = invite();
    let mut out = BytesMut::new();
    req.encode(&mut out);
    let again = Message::parse(out.freeze()).unwrap();
    assert_eq!(again.headers().collect::<Vec<_>>(), req.headers().collect::<Vec<_>>());
    assert_eq!(branches(&again), branches(&req));

    let folded = Bytes::from_static(
        b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKf\r\nFrom: <sip:a@h>;\r\n tag=x\r\nTo: <sip:b@h>\r\nCall-ID: c\r\nCSeq: 1\r\n\tINVITE\r\n\r\nbody",
    );
    let m = Message::parse(folded).unwrap();
    let mut out = BytesMut::new();
    m.encode(&mut out);
    let text = std::str::from_utf8(&out).unwrap();
    assert!(text.contains("From: <sip:a@h>; tag=x\r\n") && text.contains("CSeq: 1 INVITE\r\n"), "{text}");
    assert!(text.ends_with("Content-Length: 4\r\n\r\nbody"), "{text}");
    let again = Message::parse(out.freeze()).unwrap();
    assert_eq!(
        (again.from().unwrap().tag(), again.cseq().unwrap().seq, again.body()),
        (Some("x"), 1, &b"body"[..])
    );
}
