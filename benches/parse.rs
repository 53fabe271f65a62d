//! Message layer speed. Budget (DESIGN.md): parse a typical SIPp INVITE
//! with SDP in <= 250 ns and >= 10x faster than `rsip` in the same run.

use std::hint::black_box;

use bytes::{Bytes, BytesMut};
use criterion::{Criterion, criterion_group, criterion_main};
use sipbench::sip::{Message, ResponseHead, Writer};

const INVITE: &[u8] = include_bytes!("../tests/data/sipp_invite.sip");
const OK_200: &[u8] = include_bytes!("../tests/data/sipp_200.sip");
const ACK: &[u8] = include_bytes!("../tests/data/sipp_ack.sip");

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (name, raw) in [("invite", INVITE), ("200_ok", OK_200), ("ack", ACK)] {
        let bytes = Bytes::from_static(raw);
        g.bench_function(name, |b| b.iter(|| Message::parse(black_box(bytes.clone())).unwrap()));
    }
    g.bench_function("invite_rsip", |b| b.iter(|| rsip::SipMessage::try_from(black_box(INVITE)).unwrap()));
    g.finish();
}

/// Parse plus what a UAS reads: top Via branch and sent-by, tags, Call-ID, CSeq.
fn parse_uas_fields(c: &mut Criterion) {
    let bytes = Bytes::from_static(INVITE);
    c.bench_function("parse/invite_uas_fields", |b| {
        b.iter(|| {
            let m = Message::parse(black_box(bytes.clone())).unwrap();
            let via = m.via().unwrap();
            let from_tag = m.from().unwrap().tag().map(str::len);
            let to_tag = m.to().unwrap().tag().map(str::len);
            let cseq = m.cseq().unwrap();
            black_box((via.branch(), via.sent_by, from_tag, to_tag, m.call_id(), cseq.seq));
        })
    });
}

fn write_200_with_sdp(c: &mut Criterion) {
    let req = Message::parse(Bytes::from_static(INVITE)).unwrap();
    let sdp = b"v=0\r\no=sipbench 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
m=audio 20000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
    let mut w = Writer::new();
    let mut sink = BytesMut::new();
    c.bench_function("write/200_ok_sdp", |b| {
        b.iter(|| {
            let head = ResponseHead { code: 200, reason: "OK", to_tag: Some("as83kd9"), source: None };
            let out = w
                .response(black_box(&req), head)
                .contact("sip:sipbench@127.0.0.1:5060")
                .header("Server", "sipbench")
                .body("application/sdp", sdp);
            sink.clear();
            black_box(out.len())
        })
    });
}

criterion_group!(benches, parse, parse_uas_fields, write_200_with_sdp);
criterion_main!(benches);
