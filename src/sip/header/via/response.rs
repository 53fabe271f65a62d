//! The top Via of a response (RFC 3261 §18.2.1, RFC 3581 §4): `received`
//! when the request came from elsewhere than its sent-by, `rport` filled
//! in when the request asked for it; a plain Via needing neither is copied
//! as it came.

use std::net::SocketAddr;

use bytes::{BufMut, BytesMut};

use crate::sip::lex;
use crate::sip::message::Message;
use crate::sip::write::put_u32;

/// Writes the top value of `value` (the request's first Via header) with
/// `received` and a filled `rport` when asked for; returns where that
/// value ends in `value`, so the caller copies the rest as it is.
pub(crate) fn put_top_via(
    buf: &mut BytesMut,
    req: &Message,
    value: &str,
    source: Option<SocketAddr>,
) -> usize {
    // The usual case: a plain Via (memoized by the transaction layer's
    // read) from the address it names, with neither rport nor received to
    // fill in, is copied as it came.
    if let Some((raw, host, fill)) = req.plain_top_via() {
        let end = (raw.as_ptr() as usize + raw.len()).wrapping_sub(value.as_ptr() as usize);
        if let Some(raw) = value.get(..end)
            && source.is_none_or(|s| !fill && lex::ip_literal::parse_ip(host) == Some(s.ip()))
        {
            buf.put_slice(raw.as_bytes());
            return end;
        }
    }
    let v = value.as_bytes();
    let top_end = lex::find_unquoted(v, b',').unwrap_or(v.len());
    put_top_value(buf, value[..top_end].trim_end(), source);
    top_end
}

/// The general path: any Via value the grammar allows.
fn put_top_value(buf: &mut BytesMut, raw: &str, source: Option<SocketAddr>) {
    let Some(src) = source else {
        buf.put_slice(raw.as_bytes());
        return;
    };
    let Ok(via) = super::Via::parse(raw) else {
        buf.put_slice(raw.as_bytes());
        return;
    };
    let head_len = raw.find(';').unwrap_or(raw.len());
    buf.put_slice(raw[..head_len].trim_end().as_bytes());
    let wants_rport = via.rport().is_some();
    let differs = via.host_ip() != Some(src.ip());
    for (name, value) in via.params() {
        if name.eq_ignore_ascii_case("received") || (wants_rport && name.eq_ignore_ascii_case("rport")) {
            continue;
        }
        buf.put_u8(b';');
        buf.put_slice(name.as_bytes());
        if let Some(v) = value {
            buf.put_u8(b'=');
            buf.put_slice(v.as_bytes());
        }
    }
    if differs || wants_rport {
        buf.put_slice(b";received=");
        put_display(buf, src.ip());
    }
    if wants_rport {
        buf.put_slice(b";rport=");
        put_u32(buf, u32::from(src.port()));
    }
}

fn put_display(buf: &mut BytesMut, v: impl std::fmt::Display) {
    use std::fmt::Write;
    let _ = write!(buf, "{v}");
}
