//! Untrusted bytes through the parser, stream framing, every typed view,
//! and `encode` → parse for whatever parses. Must never panic.

#![no_main]

use bytes::{Bytes, BytesMut};
use libfuzzer_sys::fuzz_target;
use sipbench::sip::*;

const SMALL: ParseLimits =
    ParseLimits { max_message_size: 4_096, max_headers: 16, max_line_len: 256, max_body_size: 1_024 };

fuzz_target!(|data: &[u8]| {
    let _ = stream_frame(data, &ParseLimits::default());
    let _ = stream_frame(data, &SMALL);
    let buf = Bytes::copy_from_slice(data);
    for limits in [ParseLimits::default(), SMALL] {
        let full = Message::parse_with(buf.clone(), &limits).map(|_| ());
        match Message::parse_unvalidated(buf.clone(), &limits) {
            Ok(m) => {
                assert_eq!(full, m.validate());
                assert!(m.len() <= data.len() && m.body().len() <= limits.max_body_size);
                exercise(&m);
                round_trip(&m);
            }
            Err(e) => {
                assert_eq!(full, Err(e));
                assert!(e.offset <= data.len());
                let _ = e.reason_phrase();
            }
        }
    }
});

fn exercise(m: &Message) {
    let _ = (m.is_request(), m.method(), m.method_name(), m.request_uri(), m.status_code(), m.reason());
    let _ = (m.call_id(), m.cseq(), m.max_forwards(), m.content_length(), m.expires(), m.body_bytes());
    let _ = (m.content_type().map(|t| t.params().count()), m.event().map(|e| e.param("id")));
    let _ = m.session_expires();
    let _ = (m.require().count(), m.supported().count(), m.unsupported().count(), m.allow().count());
    for h in m.headers() {
        let _ = m.header_by_name(h.raw_name);
        let _ = m.list(h.name).count();
    }
    if let Ok(u) = m.parse_request_uri() {
        uri(&u);
    }
    for via in m.vias().chain(std::iter::once(m.via())).flatten() {
        let _ = (via.branch(), via.received(), via.rport(), via.maddr(), via.ttl(), via.host_ip());
        let _ = via.params().count();
    }
    let addrs = [m.from(), m.to()].into_iter().chain(m.contacts()).chain(m.routes()).chain(m.record_routes());
    for na in addrs.chain(m.refer_to()).flatten() {
        let _ = (na.tag(), na.expires(), na.is_star(), na.params().count());
        if let Ok(u) = na.parse_uri() {
            uri(&u);
        }
    }
}

fn uri(u: &Uri<'_>) {
    let _ = (u.transport(), u.maddr(), u.lr(), u.user_unescaped(), u.params().count());
}

/// A folded value as `encode` writes it.
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

fn round_trip(m: &Message) {
    let mut out = BytesMut::new();
    m.encode(&mut out);
    if out.len() > 65_535 || m.header_count() >= 255 {
        return;
    }
    let wide = ParseLimits {
        max_message_size: 65_535,
        max_headers: 255,
        max_line_len: 65_535,
        max_body_size: 65_535,
    };
    let again = Message::parse_unvalidated(out.freeze(), &wide).expect("encoded message re-parses");
    assert_eq!(again.method_name(), m.method_name());
    assert_eq!(again.request_uri(), m.request_uri());
    assert_eq!((again.status_code(), again.reason()), (m.status_code(), m.reason()));
    assert_eq!(headers_but_length(&again), headers_but_length(m));
    assert_eq!(again.body(), m.body());
    if m.validate().is_ok() {
        again.validate().expect("a valid message stays valid");
    }
}
