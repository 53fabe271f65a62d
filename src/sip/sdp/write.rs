//! SDP writers for our answers and our own (re-)offers. CRLF endings, numbers
//! via `itoa`, straight into the caller's buffer: no intermediate strings.

use std::fmt::Write as _;
use std::net::IpAddr;

use bytes::{BufMut, BytesMut};

use super::codec::{Codec, LocalMedia};
use super::direction::Direction;
use super::negotiate::Answer;
use crate::sip::put_short::put_short;

/// Telephone-event range we advertise: DTMF 0-9, *, #, A-D, flash.
const EVENTS: &[u8] = b"0-16";

/// Writes the SDP answer for `answer`; refused streams get only their `m=` line.
pub fn write_answer(answer: &Answer, local: &LocalMedia, out: &mut BytesMut) {
    write_answer_with(answer, local, b"", out);
}

/// [`write_answer`], with `extra` (whole attribute lines, each ending in
/// CRLF, e.g. our `a=crypto`) after the accepted stream's attributes.
pub fn write_answer_with(answer: &Answer, local: &LocalMedia, extra: &[u8], out: &mut BytesMut) {
    write_session(local, out);
    for m in &answer.media {
        out.put_slice(b"m=");
        put_short(out, m.media.as_bytes());
        out.put_u8(b' ');
        put_num(out, m.port);
        out.put_u8(b' ');
        put_short(out, m.proto.as_bytes());
        if m.port == 0 {
            if !m.refused_formats.is_empty() {
                out.put_u8(b' ');
                put_short(out, m.refused_formats.as_bytes());
            }
            out.put_slice(b"\r\n");
            continue;
        }
        for &(pt, _) in &m.formats {
            out.put_u8(b' ');
            put_num(out, pt);
        }
        out.put_slice(b"\r\n");
        write_media_attrs(m.formats.iter().copied(), local.ptime, m.direction, out);
        out.put_slice(extra);
    }
}

/// Writes an offer with one audio stream carrying every local codec
/// (static payload types, telephone-event as 101): used for re-INVITE
/// hold (`SendOnly`) and resume (`SendRecv`).
pub fn write_offer(local: &LocalMedia, direction: Direction, out: &mut BytesMut) {
    write_offer_with(local, direction, "RTP/AVP", b"", out);
}

/// [`write_offer`] on transport `proto` (`RTP/SAVP` for SRTP), with
/// `extra` attribute lines (each ending in CRLF) after the stream's own.
pub fn write_offer_with(
    local: &LocalMedia,
    direction: Direction,
    proto: &str,
    extra: &[u8],
    out: &mut BytesMut,
) {
    write_session(local, out);
    out.put_slice(b"m=audio ");
    put_num(out, local.port);
    out.put_u8(b' ');
    put_short(out, proto.as_bytes());
    let codecs =
        || local.codecs.iter().enumerate().filter(|&(i, c)| !local.codecs.iter().take(i).any(|d| d == c));
    for (_, c) in codecs() {
        out.put_u8(b' ');
        put_num(out, c.offer_pt());
    }
    out.put_slice(b"\r\n");
    write_media_attrs(codecs().map(|(_, &c)| (c.offer_pt(), c)), local.ptime, direction, out);
    out.put_slice(extra);
}

fn write_session(local: &LocalMedia, out: &mut BytesMut) {
    out.put_slice(b"v=0\r\no=");
    put_short(out, local.username.as_bytes());
    out.put_u8(b' ');
    put_num(out, local.session_id);
    out.put_u8(b' ');
    put_num(out, local.session_version);
    out.put_slice(b" IN ");
    // Rendered once, copied for c=.
    let addr_at = out.len();
    put_addr(out, local.address);
    let addr_end = out.len();
    out.put_slice(b"\r\ns=sipbench\r\nc=IN ");
    out.extend_from_within(addr_at..addr_end);
    out.put_slice(b"\r\nt=0 0\r\n");
}

fn write_media_attrs(
    formats: impl Iterator<Item = (u8, Codec)>,
    ptime: Option<u32>,
    direction: Direction,
    out: &mut BytesMut,
) {
    for (pt, codec) in formats {
        out.put_slice(b"a=rtpmap:");
        put_num(out, pt);
        out.put_u8(b' ');
        put_short(out, codec.name().as_bytes());
        out.put_u8(b'/');
        put_num(out, codec.clock_rate());
        out.put_slice(b"\r\n");
        if codec == Codec::TelephoneEvent {
            out.put_slice(b"a=fmtp:");
            put_num(out, pt);
            out.put_u8(b' ');
            put_short(out, EVENTS);
            out.put_slice(b"\r\n");
        }
    }
    if let Some(ptime) = ptime {
        out.put_slice(b"a=ptime:");
        put_num(out, ptime);
        out.put_slice(b"\r\n");
    }
    out.put_slice(b"a=");
    put_short(out, direction.as_attr().as_bytes());
    out.put_slice(b"\r\n");
}

/// `IP4 a.b.c.d` or `IP6 <addr>`.
fn put_addr(out: &mut BytesMut, ip: IpAddr) {
    match ip {
        IpAddr::V4(v4) => {
            out.put_slice(b"IP4 ");
            for (i, octet) in v4.octets().into_iter().enumerate() {
                if i > 0 {
                    out.put_u8(b'.');
                }
                put_num(out, octet);
            }
        }
        IpAddr::V6(v6) => {
            out.put_slice(b"IP6 ");
            // fmt::Write on BytesMut cannot fail and does not allocate a String.
            let _ = write!(out, "{v6}");
        }
    }
}

fn put_num(out: &mut BytesMut, n: impl itoa::Integer) {
    put_short(out, itoa::Buffer::new().format(n).as_bytes());
}
