//! REGISTER (RFC 3261 §10.3). Without a registrar it is a method we do
//! not serve (405 with Allow: a 200 would claim a binding nobody keeps).
//! With one: the To must be a SIP or SIPS address-of-record, every
//! Contact must be readable, `*` only alone with `Expires: 0`; the handler
//! may refuse; the bindings change all or none and the 200 lists those
//! that hold.

use std::net::SocketAddr;
use std::time::Instant;

use super::{Extra, reason_phrase};
use crate::core::registrar::{Change, Update, UpdateError};
use crate::core::{IncomingRequest, Outbox, ShardCore};
use crate::sip::{Message, NameAddr, ResponseHead, Scheme, Uri};
use crate::txn::TxnKey;

/// Expiry when the REGISTER names none (RFC 3261 §10.2.1.1 suggests 3600).
const DEFAULT_EXPIRES: u32 = 3600;
/// Shortest expiry accepted (423 below, RFC 3261 §10.3 step 7).
const MIN_EXPIRES: u32 = 60;
/// Longest expiry granted; longer requests get this.
const MAX_EXPIRES: u32 = 86_400;
/// Longest contact URI stored.
const MAX_CONTACT: usize = 1024;

/// A refusal: status, reason phrase, `Min-Expires` for a 423.
type Refusal = (u16, &'static str, Option<u32>);

impl ShardCore {
    /// A REGISTER that passed the method and header checks.
    pub(crate) fn on_register(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        out: &mut Outbox,
    ) {
        let tag = self.ids.token();
        let outcome = match self.cfg.registrar.clone() {
            Some(registrar) => self.register(msg, from, now, &registrar),
            None => Err((405, "Method Not Allowed", None)),
        };
        let (code, reason, extra) = match &outcome {
            Ok(bindings) => (200, "OK", Extra { bindings: Some(bindings), ..Extra::default() }),
            Err((code, reason, min)) => {
                let extra = Extra { allow: *code == 405, min_expires: *min, ..Extra::default() };
                (*code, *reason, extra)
            }
        };
        let head = ResponseHead { code, reason, to_tag: Some(&tag), source: None };
        self.reply_non_invite(now, key, msg, from, head, extra, None, out);
    }

    /// Checks the request, asks the handler, updates the bindings: the
    /// Contact values of the 200, each with the time it has left.
    fn register(
        &mut self,
        msg: &Message,
        from: SocketAddr,
        now: Instant,
        registrar: &crate::core::Registrar,
    ) -> Result<Vec<String>, Refusal> {
        let bad = |reason| (400, reason, None);
        let to = msg.to().and_then(|t| t.parse_uri()).map_err(|_| bad("Bad Request - Malformed To"))?;
        if !matches!(to.scheme, Scheme::Sip | Scheme::Sips) || to.host.is_none() {
            return Err(bad("Bad Request - To Is No SIP Address-Of-Record"));
        }
        let aor = address_of_record(&to);
        let changes = contact_changes(msg)?;
        let code = self.handler.on_register(&IncomingRequest { msg, source: from }).code();
        if code != 200 {
            let code = if (300..700).contains(&code) { code } else { 500 };
            return Err((code, reason_phrase(code), None));
        }
        let seq = msg.cseq_number().unwrap_or(0);
        let update = Update { call_id: msg.call_id(), cseq: seq, changes };
        let bindings = registrar.update(&aor, &update, now).map_err(|e| match e {
            UpdateError::OutOfOrder => (500, "Server Internal Error - CSeq Out Of Order", None),
            UpdateError::Full => (503, "Service Unavailable - Registrar Full", None),
        })?;
        Ok(bindings
            .iter()
            .map(|b| {
                let left = b.expires_at.saturating_duration_since(now).as_secs();
                format!("<{}>;expires={left}", b.uri)
            })
            .collect())
    }
}

/// The address-of-record a To names: `scheme:user@host[:port]`, the host
/// in lower case, the user unescaped; parameters and headers dropped.
fn address_of_record(uri: &Uri<'_>) -> String {
    let scheme = if uri.scheme == Scheme::Sips { "sips" } else { "sip" };
    let user = uri.user_unescaped().map(|u| format!("{u}@")).unwrap_or_default();
    let port = uri.port.map(|p| format!(":{p}")).unwrap_or_default();
    format!("{scheme}:{user}{}{port}", uri.host_str.to_ascii_lowercase())
}

/// What the Contact values and Expires ask for (RFC 3261 §10.3 step 6).
fn contact_changes(msg: &Message) -> Result<Vec<Change<'_>>, Refusal> {
    let bad = |reason| (400, reason, None);
    let expires_header = match msg.expires() {
        Some(Ok(e)) => Some(e),
        Some(Err(_)) => return Err(bad("Bad Request - Malformed Expires")),
        None => None,
    };
    let contacts: Vec<NameAddr<'_>> =
        msg.contacts().collect::<Result<_, _>>().map_err(|_| bad("Bad Request - Malformed Contact"))?;
    if contacts.iter().any(NameAddr::is_star) {
        return if contacts.len() == 1 && expires_header == Some(0) {
            Ok(vec![Change::RemoveAll])
        } else {
            Err(bad("Bad Request - Invalid Wildcard Contact"))
        };
    }
    let mut changes = Vec::with_capacity(contacts.len());
    for c in &contacts {
        let uri = c.parse_uri().map_err(|_| bad("Bad Request - Malformed Contact"))?;
        if c.uri.len() > MAX_CONTACT {
            return Err(bad("Bad Request - Contact Too Long"));
        }
        let expires = match c.param("expires") {
            Some(v) => delta_seconds(v).ok_or(bad("Bad Request - Malformed Contact Expires"))?,
            None => expires_header.unwrap_or(DEFAULT_EXPIRES),
        };
        if expires != 0 && expires < MIN_EXPIRES {
            return Err((423, "Interval Too Brief", Some(MIN_EXPIRES)));
        }
        changes.push(Change::Bind { key: contact_key(&uri), uri: c.uri, expires: expires.min(MAX_EXPIRES) });
    }
    Ok(changes)
}

/// delta-seconds; values beyond 2^32-1 count as that (RFC 3261 §10.2.1.1
/// lets a registrar shorten any expiry).
fn delta_seconds(v: &str) -> Option<u32> {
    if v.is_empty() || !v.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(v.bytes().fold(0u32, |n, d| n.saturating_mul(10).saturating_add(u32::from(d - b'0'))))
}

/// What makes two contacts the same (RFC 3261 §19.1.4, simplified):
/// scheme, user as written, host in lower case, port and transport.
fn contact_key(uri: &Uri<'_>) -> String {
    if uri.scheme == Scheme::Other {
        return format!("raw:{}", uri.raw);
    }
    let transport = uri.transport().unwrap_or("").to_ascii_lowercase();
    let user = uri.user.unwrap_or("");
    let port = uri.port.unwrap_or(0);
    format!("{:?}:{user}@{}:{port};{transport}", uri.scheme, uri.host_str.to_ascii_lowercase())
}
