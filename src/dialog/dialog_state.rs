//! A dialog's state, copied out of the INVITE (or, for calls we place,
//! out of our INVITE and its answer) into one compact
//! allocation so it never pins the receive buffer (RFC 3261 §12.1.1).

use std::cell::OnceCell;
use std::net::{IpAddr, SocketAddr};

use crate::sip::{Host, Message, ParseError, Uri};

/// Field order inside the packed text.
const CALL_ID: usize = 0;
const LOCAL_TAG: usize = 1;
const REMOTE_TAG: usize = 2;
const LOCAL_ADDR: usize = 3;
const REMOTE_ADDR: usize = 4;
const TARGET: usize = 5;
const ROUTES: usize = 6;
const FIELDS: usize = 7;

/// The dialog state kept for one call (either role).
#[derive(Debug, Clone)]
pub struct Dialog {
    text: Box<str>,
    ends: [u32; FIELDS],
    /// Highest CSeq seen from the peer.
    pub remote_cseq: u32,
    /// Our last CSeq.
    pub local_cseq: u32,
    /// Request-URI was sips.
    pub secure: bool,
    /// Where the INVITE came from: in-dialog requests go there unless the
    /// route set or remote target names an IP address.
    pub source: SocketAddr,
    /// The next hop the route set or remote target names, worked out at
    /// the first request we send (both are fixed once packed).
    hop: OnceCell<Option<SocketAddr>>,
}

impl Dialog {
    /// Builds the dialog for an INVITE we answer with `local_tag`.
    pub fn from_invite(invite: &Message, local_tag: &str, source: SocketAddr) -> Result<Dialog, ParseError> {
        let from_tag = invite.from_tag()?;
        invite.to_tag()?;
        let target = invite.contact().transpose()?.map(|c| c.uri).unwrap_or("");
        let routes = invite.list(crate::sip::HeaderName::RecordRoute);
        let parts = [
            invite.call_id(),
            local_tag,
            from_tag.unwrap_or(""),
            invite.header(crate::sip::HeaderName::To).unwrap_or(""),
            invite.header(crate::sip::HeaderName::From).unwrap_or(""),
            target,
        ];
        let secure = invite.request_uri().get(..5).is_some_and(|s| s.eq_ignore_ascii_case("sips:"));
        let cseq = invite.cseq_number().unwrap_or(0);
        Ok(Dialog::pack(parts, routes, cseq, 0, secure, source))
    }

    /// Packs the fields (in `CALL_ID..=TARGET` order) and the route set.
    pub(crate) fn pack<'r>(
        parts: [&str; 6],
        routes: impl Iterator<Item = &'r str>,
        remote_cseq: u32,
        local_cseq: u32,
        secure: bool,
        source: SocketAddr,
    ) -> Dialog {
        // Sized exactly: a spare capacity made `into_boxed_str` shrink the
        // block with a realloc on every call.
        let routes: smallvec::SmallVec<[&str; 4]> = routes.collect();
        let route_len = routes.iter().map(|r| r.len() + 1).sum::<usize>().saturating_sub(1);
        let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum::<usize>() + route_len);
        let mut ends = [0u32; FIELDS];
        for (i, p) in parts.iter().enumerate() {
            text.push_str(p);
            ends[i] = text.len() as u32;
        }
        for (i, r) in routes.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(r);
        }
        ends[ROUTES] = text.len() as u32;
        let hop = OnceCell::new();
        Dialog { text: text.into_boxed_str(), ends, remote_cseq, local_cseq, secure, source, hop }
    }

    fn field(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..self.ends[i] as usize).unwrap_or("")
    }

    /// Call-ID.
    pub fn call_id(&self) -> &str {
        self.field(CALL_ID)
    }
    /// Our tag (To tag of the INVITE's responses).
    pub fn local_tag(&self) -> &str {
        self.field(LOCAL_TAG)
    }
    /// The peer's tag (From tag of the INVITE).
    pub fn remote_tag(&self) -> &str {
        self.field(REMOTE_TAG)
    }
    /// Our address as the peer wrote it in To (without our tag).
    pub fn local_addr(&self) -> &str {
        self.field(LOCAL_ADDR)
    }
    /// The peer's From value, tag included.
    pub fn remote_addr(&self) -> &str {
        self.field(REMOTE_ADDR)
    }
    /// Remote target (Contact URI).
    pub fn remote_target(&self) -> &str {
        self.field(TARGET)
    }
    /// Route set from Record-Route, in order.
    pub fn route_set(&self) -> impl Iterator<Item = &str> {
        self.field(ROUTES).split('\n').filter(|r| !r.is_empty())
    }

    /// Bytes of signalling state this dialog holds (for the memory budget).
    pub fn heap_bytes(&self) -> usize {
        self.text.len()
    }

    /// Where in-dialog requests go: the first route when routed, else the
    /// remote target, when either names an IP literal (no DNS here);
    /// otherwise back to the INVITE's source. Computed when we first send.
    pub fn peer(&self) -> SocketAddr {
        self.hop.get_or_init(|| self.next_hop()).unwrap_or(self.source)
    }

    fn next_hop(&self) -> Option<SocketAddr> {
        let first = self.route_set().next();
        let uri = match first {
            Some(r) => crate::sip::NameAddr::parse(r, "Route").ok()?.uri,
            None => self.remote_target(),
        };
        let uri = Uri::parse(uri).ok()?;
        let ip: IpAddr = match uri.host? {
            Host::V4(a) => a.into(),
            Host::V6(a) => a.into(),
            Host::Name(_) => return None,
        };
        Some(SocketAddr::new(ip, uri.port.unwrap_or(5060)))
    }
}
