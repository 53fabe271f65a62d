//! Writing a response to a request: the writer copies Via, From, To,
//! Call-ID and CSeq; this adds Contact, Allow, Server and friends.

use std::net::SocketAddr;

use bytes::Bytes;

use crate::core::call::With;
use crate::sip::{HeaderName, Message, ResponseHead, Writer};

/// Methods we answer (RFC 3261 §20.5).
pub(crate) const ALLOW: &str = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO, MESSAGE, REGISTER";

/// Optional parts of a response.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Extra<'a> {
    /// Add our Contact and copy Record-Route (dialog-creating responses).
    pub dialog: bool,
    pub allow: bool,
    pub accept: bool,
    pub unsupported: Option<&'a str>,
    pub retry_after: Option<u32>,
    /// A REGISTER's Contact echoed with this expiry.
    pub registered: Option<(&'a str, u32)>,
    /// A 3xx's Contact: where the caller should go instead.
    pub redirect: Option<&'a str>,
    pub sdp: Option<&'a [u8]>,
}

impl<'a> From<&'a With> for Extra<'a> {
    fn from(w: &'a With) -> Extra<'a> {
        Extra {
            dialog: w.dialog,
            allow: w.allow,
            redirect: w.custom.as_ref().and_then(|c| c.redirect.as_deref()),
            sdp: w.sdp.as_deref(),
            ..Extra::default()
        }
    }
}

/// Our own header values a response carries.
#[derive(Clone, Copy)]
pub(crate) struct Ours<'a> {
    pub contact: &'a str,
    pub server: &'a str,
}

/// Writes a response to `req` (received from `source`).
pub(crate) fn write_response(
    writer: &mut Writer,
    ours: Ours<'_>,
    req: &Message,
    source: SocketAddr,
    head: ResponseHead<'_>,
    extra: Extra<'_>,
) -> Bytes {
    let mut b = writer.response(req, ResponseHead { source: Some(source), ..head });
    if extra.dialog {
        for rr in req.header_values(HeaderName::RecordRoute) {
            b = b.header("Record-Route", rr);
        }
        b = b.contact(ours.contact);
    }
    if extra.allow {
        b = b.header("Allow", ALLOW);
    }
    if extra.accept {
        b = b.header("Accept", "application/sdp");
    }
    if let Some(u) = extra.unsupported {
        b = b.header("Unsupported", u);
    }
    if let Some(r) = extra.retry_after {
        b = b.header_u32("Retry-After", r);
    }
    if let Some((contact, expires)) = extra.registered {
        b = b.header("Contact", contact).header_u32("Expires", expires);
    }
    if let Some(uri) = extra.redirect {
        b = if uri.starts_with('<') { b.header("Contact", uri) } else { b.contact(uri) };
    }
    b = b.header("Server", ours.server);
    match extra.sdp {
        Some(body) => b.body("application/sdp", body),
        None => b.finish(),
    }
}
