//! Re-serializing a parsed message in canonical form: folded values joined
//! with one space, one header per line. Parsing the output gives the same
//! values (the round-trip property the tests check).

use bytes::{BufMut, BytesMut};

use super::put_u32;
use crate::sip::header::HeaderName;
use crate::sip::message::Message;

/// Appends `msg` to `out`, Content-Length rewritten to the body.
pub(crate) fn encode(msg: &Message, out: &mut BytesMut) {
    if msg.is_request() {
        out.put_slice(msg.method_name().as_bytes());
        out.put_u8(b' ');
        out.put_slice(msg.request_uri().as_bytes());
        out.put_slice(b" SIP/2.0\r\n");
    } else {
        out.put_slice(b"SIP/2.0 ");
        put_u32(out, u32::from(msg.status_code().unwrap_or(0)));
        out.put_u8(b' ');
        out.put_slice(msg.reason().as_bytes());
        out.put_slice(b"\r\n");
    }
    for h in msg.headers() {
        if h.name == HeaderName::ContentLength {
            continue;
        }
        out.put_slice(h.raw_name.as_bytes());
        out.put_slice(b": ");
        put_unfolded(out, h.value.as_bytes());
        out.put_slice(b"\r\n");
    }
    out.put_slice(b"Content-Length: ");
    put_u32(out, u32::try_from(msg.body().len()).unwrap_or(u32::MAX));
    out.put_slice(b"\r\n\r\n");
    out.put_slice(msg.body());
}

/// Replaces each CRLF + whitespace run of a folded value by one space.
fn put_unfolded(out: &mut BytesMut, v: &[u8]) {
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'\r' || v[i] == b'\n' {
            while i < v.len() && crate::sip::lex::is_lws(v[i]) {
                i += 1;
            }
            out.put_u8(b' ');
        } else {
            out.put_u8(v[i]);
            i += 1;
        }
    }
}
