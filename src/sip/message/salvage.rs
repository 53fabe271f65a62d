//! A malformed request read only as far as a response to it needs: the
//! method, the headers a response copies and the top Via that routes it.
//! The start line is read leniently (extra blanks, a bad Request-URI or
//! version), headers run to the end of the datagram when the empty line is
//! missing, and the body is not framed. What comes out is good for a 400
//! or 505 and nothing else (RFC 3261 §8.2, §21.4.1; RFC 4475 §3.1.2).

use bytes::{BufMut, Bytes, BytesMut};

use super::datagram::check_head_bytes;
use super::header_lines::{index_headers, next_line};
use super::scan::LineScanner;
use super::start_line::parse_start_line;
use super::{MAX_MESSAGE_SIZE, Message, StartLine};
use crate::sip::error::ParseLimits;
use crate::sip::method::{Method, is_token_char};
use crate::sip::span::Span;

impl Message {
    /// The request in `buf` as far as a response needs it, or `None` when
    /// it is no request (a response, a start line without a method, bad
    /// bytes in the head, over the limits).
    pub(crate) fn salvage(buf: Bytes, limits: &ParseLimits) -> Option<Message> {
        if buf.len() > limits.max_message_size.min(MAX_MESSAGE_SIZE) {
            return None;
        }
        let mut msg = Message::unparsed(with_header_end(buf)?);
        let b: &[u8] = &msg.buf;
        let start = b.iter().position(|&c| c != b'\r' && c != b'\n')?;
        let mut lines = LineScanner::new(b, start);
        lines.begin();
        let (line, next) = next_line(b, &mut lines, start, limits).ok()?;
        let start_line = parse_start_line(b, line).ok().or_else(|| lenient_request_line(b, line))?;
        if !matches!(start_line, StartLine::Request { .. }) {
            return None;
        }
        let mut index = super::HeadIndex::default();
        let body_start = index_headers(b, &mut lines, next, limits, &mut index).ok()?;
        let ascii = check_head_bytes(&b[start..body_start]).ok()?;
        msg.start_offset = start as u16;
        msg.start = start_line;
        msg.index = index;
        msg.ascii = ascii;
        msg.body = Span::new(body_start, body_start);
        Some(msg)
    }
}

/// The datagram, with an empty line added when its headers never end
/// (RFC 4475 §3.1.2.15); `None` when too large for that.
fn with_header_end(buf: Bytes) -> Option<Bytes> {
    if memchr::memmem::find(&buf, b"\r\n\r\n").is_some() || memchr::memmem::find(&buf, b"\n\n").is_some() {
        return Some(buf);
    }
    if buf.len() + 4 > MAX_MESSAGE_SIZE {
        return None;
    }
    let mut b = BytesMut::with_capacity(buf.len() + 4);
    b.put_slice(&buf);
    if !buf.ends_with(b"\n") {
        b.put_slice(b"\r\n");
    }
    b.put_slice(b"\r\n");
    Some(b.freeze())
}

/// `method SP+ anything`: the method is a token; the Request-URI is what
/// lies between the first blank run and the last blank (trimmed), so a
/// response can still be written.
fn lenient_request_line(b: &[u8], (ls, le): (usize, usize)) -> Option<StartLine> {
    let line = &b[ls..le];
    let sp = memchr::memchr(b' ', line)?;
    let method = &line[..sp];
    if method.is_empty() || !method.iter().all(|&c| is_token_char(c)) || method.starts_with(b"SIP/") {
        return None;
    }
    let rest_start = sp + line[sp..].iter().take_while(|&&c| c == b' ').count();
    let rest_end = line.len() - line.iter().rev().take_while(|&&c| c == b' ').count();
    let uri_end = memchr::memrchr(b' ', &line[rest_start..rest_end.max(rest_start)]).map_or(rest_end, |i| {
        let i = rest_start + i;
        i - line[rest_start..i].iter().rev().take_while(|&&c| c == b' ').count()
    });
    Some(StartLine::Request {
        method: Method::from_token(method),
        method_end: (ls + sp) as u16,
        uri: Span::new(ls + rest_start, ls + uri_end.max(rest_start)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn salvage(s: &[u8]) -> Option<Message> {
        Message::salvage(Bytes::copy_from_slice(s), &ParseLimits::default())
    }

    /// Faults of the start line, the framing and the end of the headers
    /// still leave the method, the Request-URI and the headers readable;
    /// responses and method-less lines are not salvaged.
    #[test]
    fn reads_what_a_response_needs() {
        let heads = "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n";
        let cases: [(&str, &str, &str); 5] = [
            ("OPTIONS  sip:a@b   SIP/2.0", "OPTIONS", "sip:a@b"),
            ("OPTIONS sip:a@b SIP/2.0  ", "OPTIONS", "sip:a@b"),
            ("INVITE sip:a b@c SIP/2.0", "INVITE", "sip:a b@c"),
            ("OPTIONS sip:a@b SIP/7.0", "OPTIONS", "sip:a@b"),
            ("FOO sip:x", "FOO", "sip:x"),
        ];
        for (line, method, uri) in cases {
            for tail in ["Content-Length: 99\r\n\r\nshort", "Content-Length: -1\r\n\r\n", ""] {
                let msg = format!("{line}\r\n{heads}{tail}");
                let m = salvage(msg.as_bytes()).unwrap_or_else(|| panic!("{msg:?}"));
                assert_eq!((m.method_name(), m.request_uri()), (method, uri), "{msg:?}");
                assert_eq!(m.call_id(), "c");
                assert!(m.via().is_ok() && m.header(crate::sip::HeaderName::CSeq).is_some());
                assert!(m.body().is_empty());
            }
        }
        for no in
            ["SIP/2.0 200 OK\r\nCSeq: 1 X\r\n\r\n", " \r\n", "sip:a SIP/2.0\r\n\r\n", "A\x00B x\r\n\r\n"]
        {
            assert!(salvage(no.as_bytes()).is_none(), "{no:?}");
        }
    }

    /// Mutated requests never panic the reader, and what it reads is a
    /// request whose views answer without panicking either.
    #[test]
    fn mutations_never_panic() {
        let seeds = [
            "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: 1 OPTIONS\r\nl: 4\r\n\r\nbody",
            "INVITE  x  SIP/7.0  \r\nv: SIP/2.0/UDP h\r\n",
        ];
        let alphabet = b" \r\n:;/\\\"<>SIP2.0\x00";
        let mut read = 0;
        for v in crate::sip::mutate::mutations(&seeds, alphabet, 2000, 4) {
            if let Some(m) = salvage(v.as_bytes()) {
                read += 1;
                assert!(m.is_request());
                let _ = (m.method_name(), m.request_uri(), m.call_id(), m.via(), m.to_tag(), m.body());
            }
        }
        assert!(read > 1000, "{read}");
    }
}
