//! Writing a response to a request: the writer copies Via, From, To,
//! Call-ID and CSeq; this adds Contact, Allow, Server and friends.

use std::net::SocketAddr;

use bytes::Bytes;

use crate::core::call::With;
use crate::sip::{HeaderName, Message, ResponseHead, Writer};

/// Methods a UAS without a registrar answers (RFC 3261 §20.5).
const ALLOW_UAS: &str = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO, MESSAGE, NOTIFY, PRACK, REFER";
/// The same with REGISTER, for a core that runs the registrar.
const ALLOW_REGISTRAR: &str =
    "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO, MESSAGE, NOTIFY, PRACK, REFER, REGISTER";
/// The option tags we support (RFC 3261 §20.37): reliable provisionals
/// (RFC 3262).
pub(crate) const SUPPORTED: &str = "100rel";

/// The Allow list of a core (with or without its registrar).
pub(crate) fn allow(registrar: bool) -> &'static str {
    if registrar { ALLOW_REGISTRAR } else { ALLOW_UAS }
}

/// Optional parts of a response.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Extra<'a> {
    /// Add our Contact and copy Record-Route (dialog-creating responses).
    pub dialog: bool,
    pub allow: bool,
    pub accept: bool,
    /// What an OPTIONS 200 tells (RFC 3261 §11.2): Allow, Accept,
    /// Accept-Encoding, Accept-Language and Supported.
    pub capabilities: bool,
    pub unsupported: Option<&'a str>,
    pub retry_after: Option<u32>,
    /// A registrar's 200: the bindings that hold (`<uri>;expires=N`).
    pub bindings: Option<&'a [String]>,
    /// A registrar's 423: the shortest expiry it takes.
    pub min_expires: Option<u32>,
    /// A 3xx's Contact: where the caller should go instead.
    pub redirect: Option<&'a str>,
    pub sdp: Option<&'a [u8]>,
    /// Session-Expires, Require and Supported of a 2xx (RFC 4028).
    pub session: Option<crate::core::session_timer::SessionHeader>,
    /// A 422's Min-SE, seconds.
    pub min_se: Option<u32>,
    /// Digest challenges: the header (WWW- or Proxy-Authenticate) and
    /// one value per hash offered.
    pub challenges: Option<(&'a str, &'a [String])>,
    /// A reliable provisional's RSeq (RFC 3262): `Require: 100rel`.
    pub rseq: Option<u32>,
}

impl<'a> From<&'a With> for Extra<'a> {
    fn from(w: &'a With) -> Extra<'a> {
        Extra {
            dialog: w.dialog,
            allow: w.allow,
            redirect: w.custom.as_ref().and_then(|c| c.redirect.as_deref()),
            sdp: w.sdp.as_deref(),
            session: w.session,
            rseq: w.reliable,
            ..Extra::default()
        }
    }
}

/// The extensions we support (an OPTIONS 200's Supported): `timer` too
/// with session timers on.
pub(crate) fn supported(session_timer: bool) -> &'static str {
    if session_timer { "100rel, timer" } else { SUPPORTED }
}

/// Our own header values a response carries.
#[derive(Clone, Copy)]
pub(crate) struct Ours<'a> {
    pub contact: &'a str,
    pub server: &'a str,
    pub allow: &'a str,
    pub supported: &'a str,
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
        b = b.contact(ours.contact).header("Supported", SUPPORTED);
    }
    if let Some(rseq) = extra.rseq {
        b = b.header("Require", crate::core::reliable::TAG).header_u32("RSeq", rseq);
    }
    if extra.allow || extra.capabilities {
        b = b.header("Allow", ours.allow);
    }
    if extra.accept || extra.capabilities {
        b = b.header("Accept", "application/sdp");
    }
    if extra.capabilities {
        // No body encodings, one language, the extensions we support.
        b = b
            .header("Accept-Encoding", "identity")
            .header("Accept-Language", "en")
            .header("Supported", ours.supported);
    }
    if let Some(u) = extra.unsupported {
        b = b.header("Unsupported", u);
    }
    if let Some(r) = extra.retry_after {
        b = b.header_u32("Retry-After", r);
    }
    for contact in extra.bindings.unwrap_or_default() {
        b = b.header("Contact", contact);
    }
    if let Some(m) = extra.min_expires {
        b = b.header_u32("Min-Expires", m);
    }
    if let Some(s) = extra.session {
        b = b.header("Session-Expires", &format!("{};refresher={}", s.seconds, s.refresher));
        if s.require {
            b = b.header("Require", "timer");
        }
        b = b.header("Supported", "timer");
    }
    if let Some(m) = extra.min_se {
        b = b.header_u32("Min-SE", m);
    }
    if let Some((name, values)) = extra.challenges {
        for v in values {
            b = b.header(name, v);
        }
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
