//! Stream framing (RFC 3261 §18.3, RFC 5626 §4.4.1) through the
//! connection's `Framer`: whatever the read boundaries, the same messages
//! come out, byte for byte; keep-alives are skipped and double-CRLF pings
//! answered; a stream that cannot be framed is an error.

use proptest::prelude::*;
use sipbench::ParseLimits;
use sipbench::transport::stream::{Framed, Framer};

fn request(n: u32, body: &str) -> Vec<u8> {
    format!(
        "OPTIONS sip:uas@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5061;branch=z9hG4bK-{n}\r\n\
         From: <sip:a@127.0.0.1>;tag={n}\r\nTo: <sip:uas@127.0.0.1>\r\nCall-ID: {n}@x\r\n\
         CSeq: {n} OPTIONS\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Feeds `chunks` one by one; returns what came out, or the error.
fn feed(chunks: &[&[u8]], limits: &ParseLimits) -> Result<Vec<Framed>, String> {
    let mut f = Framer::default();
    let mut out = Vec::new();
    for c in chunks {
        f.push(c, limits, &mut |x| out.push(x)).map_err(|e| format!("{e}"))?;
    }
    Ok(out)
}

fn messages(out: &[Framed]) -> Vec<Vec<u8>> {
    out.iter()
        .filter_map(|f| match f {
            Framed::Message(b) => Some(b.to_vec()),
            Framed::Ping => None,
        })
        .collect()
}

fn pings(out: &[Framed]) -> usize {
    out.iter().filter(|f| **f == Framed::Ping).count()
}

/// Three messages (a body with a CRLF tail, one without, none), with a
/// ping and a lone CRLF between them.
fn stream() -> (Vec<u8>, Vec<Vec<u8>>) {
    let msgs = vec![request(1, "hello\r\n"), request(2, "no tail"), request(3, "")];
    let mut s = Vec::new();
    s.extend_from_slice(&msgs[0]);
    s.extend_from_slice(b"\r\n\r\n");
    s.extend_from_slice(&msgs[1]);
    s.extend_from_slice(b"\r\n");
    s.extend_from_slice(&msgs[2]);
    (s, msgs)
}

#[test]
fn split_at_every_byte_boundary() {
    let (s, msgs) = stream();
    let limits = ParseLimits::default();
    for at in 0..=s.len() {
        let out = feed(&[&s[..at], &s[at..]], &limits).unwrap();
        assert_eq!(messages(&out), msgs, "split at {at}");
        assert_eq!(pings(&out), 1, "split at {at}");
    }
}

#[test]
fn one_byte_per_read() {
    let (s, msgs) = stream();
    let chunks: Vec<&[u8]> = s.chunks(1).collect();
    let out = feed(&chunks, &ParseLimits::default()).unwrap();
    assert_eq!(messages(&out), msgs);
    assert_eq!(pings(&out), 1);
}

#[test]
fn several_messages_in_one_read() {
    let (s, msgs) = stream();
    let out = feed(&[&s], &ParseLimits::default()).unwrap();
    assert_eq!(messages(&out), msgs);
    // In order: message, ping, message, message.
    assert!(matches!(out[1], Framed::Ping), "{out:?}");
}

#[test]
fn keep_alives_between_and_before_messages() {
    let m = request(7, "x");
    let mut s = b"\r\n\r\n\r\n\r\n".to_vec(); // two pings before any message
    s.extend_from_slice(&m);
    s.extend_from_slice(b"\r\n"); // a lone CRLF is no ping
    s.extend_from_slice(&m);
    let out = feed(&[&s], &ParseLimits::default()).unwrap();
    assert_eq!(messages(&out), vec![m.clone(), m]);
    assert_eq!(pings(&out), 2);
    // A ping split over two reads is still one ping.
    let out = feed(&[b"\r\n", b"\r\n"], &ParseLimits::default()).unwrap();
    assert_eq!(pings(&out), 1);
}

#[test]
fn content_length_missing_negative_bad_or_too_large() {
    let limits = ParseLimits::default();
    let head = "OPTIONS sip:uas@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5061;branch=z9hG4bK-1\r\n\
                From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:uas@127.0.0.1>\r\nCall-ID: 1@x\r\nCSeq: 1 OPTIONS\r\n";
    let missing = format!("{head}\r\nbody");
    let negative = format!("{head}Content-Length: -5\r\n\r\nbody");
    let garbage = format!("{head}Content-Length: ten\r\n\r\nbody");
    let huge = format!("{head}Content-Length: 4000000000\r\n\r\n");
    let over = format!("{head}Content-Length: {}\r\n\r\n", limits.max_body_size + 1);
    for bad in [&missing, &negative, &garbage, &huge, &over] {
        // Whole or byte by byte: an error either way, never a message.
        assert!(feed(&[bad.as_bytes()], &limits).is_err(), "{bad}");
        let chunks: Vec<&[u8]> = bad.as_bytes().chunks(1).collect();
        assert!(feed(&chunks, &limits).is_err(), "{bad} byte by byte");
    }
    // A head that never ends is refused once beyond the size limit.
    let endless = vec![b'a'; limits.max_message_size + 10];
    let chunks: Vec<&[u8]> = endless.chunks(1000).collect();
    assert!(feed(&chunks, &limits).is_err());
}

#[test]
fn body_arriving_late_waits_for_content_length() {
    let m = request(9, "0123456789");
    let head_end = m.len() - 10;
    let mut f = Framer::default();
    let mut out = Vec::new();
    let limits = ParseLimits::default();
    f.push(&m[..head_end + 3], &limits, &mut |x| out.push(x)).unwrap();
    assert!(out.is_empty());
    assert_eq!(f.pending(), head_end + 3);
    f.push(&m[head_end + 3..], &limits, &mut |x| out.push(x)).unwrap();
    assert_eq!(messages(&out), vec![m]);
    // Nothing is held once the message is out.
    assert_eq!((f.pending(), f.capacity()), (0, 0));
}

proptest! {
    /// Any number of messages and pings cut at arbitrary points come out
    /// whole and in order.
    #[test]
    fn any_cuts(bodies in proptest::collection::vec("[a-z\r\n]{0,40}", 1..6),
                cuts in proptest::collection::vec(1usize..200, 0..30)) {
        let mut s = Vec::new();
        let mut want = Vec::new();
        for (i, b) in bodies.iter().enumerate() {
            let m = request(i as u32, b);
            s.extend_from_slice(&m);
            want.push(m);
            if i % 2 == 0 {
                s.extend_from_slice(b"\r\n\r\n");
            }
        }
        let mut chunks = Vec::new();
        let mut at = 0;
        for c in cuts {
            let end = (at + c).min(s.len());
            chunks.push(&s[at..end]);
            at = end;
        }
        chunks.push(&s[at..]);
        let out = feed(&chunks, &ParseLimits::default()).unwrap();
        prop_assert_eq!(messages(&out), want);
        prop_assert_eq!(pings(&out), bodies.len().div_ceil(2));
    }
}
