//! Transaction matching keys (RFC 3261 §17.1.3 and §17.2.3).
//!
//! With the magic cookie: branch + sent-by + method, where ACK maps to
//! INVITE. Without it (RFC 2543 peers): Request-URI, From tag, Call-ID,
//! CSeq number, top Via and method. One compact owned allocation.

use smallvec::SmallVec;

use crate::sip::{MAGIC_COOKIE, Message, Method, ParseError};

/// An owned, hashable transaction key. Kept inline up to 48 bytes (a
/// typical branch + sent-by + method fits): three keys per call were three
/// heap allocations and frees on the hot path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TxnKey(SmallVec<[u8; 48]>);

/// ACK belongs to the INVITE transaction; every other method is its own.
fn method_class(m: Method, name: &str) -> &str {
    match m {
        Method::Ack | Method::Invite => "INVITE",
        Method::Extension => name,
        known => known.as_str(),
    }
}

impl TxnKey {
    fn join(parts: &[&str]) -> TxnKey {
        const INLINE: usize = 48;
        let total: usize = parts.iter().map(|p| p.len() + 1).sum();
        if total > INLINE {
            let mut v = SmallVec::with_capacity(total);
            for p in parts {
                v.extend_from_slice(p.as_bytes());
                v.push(0);
            }
            return TxnKey(v);
        }
        // The usual key: filled in place, no per-part growth checks.
        let mut a = [0u8; INLINE];
        let mut at = 0;
        for p in parts {
            crate::sip::put_short::copy_short(&mut a[at..at + p.len()], p.as_bytes());
            at += p.len() + 1; // the separator is the zero already there
        }
        TxnKey(SmallVec::from_buf_and_len(a, total))
    }

    /// The server transaction a request belongs to.
    pub fn server(req: &Message) -> Result<TxnKey, ParseError> {
        Self::server_as(req, method_class(req.method(), req.method_name()))
    }

    /// The INVITE transaction a CANCEL targets (same branch, §9.2).
    pub fn cancelled_invite(cancel: &Message) -> Result<TxnKey, ParseError> {
        Self::server_as(cancel, "INVITE")
    }

    fn server_as(req: &Message, class: &str) -> Result<TxnKey, ParseError> {
        let (branch, sent_by) = req.via_branch_and_sent_by()?;
        match branch.filter(|b| b.starts_with(MAGIC_COOKIE)) {
            Some(branch) => Ok(Self::join(&[branch, sent_by, class])),
            None => Ok(Self::rfc2543(req, class)),
        }
    }

    fn rfc2543(req: &Message, class: &str) -> TxnKey {
        let from_tag = req.from_tag().ok().flatten().unwrap_or("");
        let seq = req.cseq_number().unwrap_or(0);
        let mut num = itoa::Buffer::new();
        let top_via = req.list(crate::sip::HeaderName::Via).next().unwrap_or("");
        Self::join(&["2543", req.request_uri(), from_tag, req.call_id(), num.format(seq), top_via, class])
    }

    /// The client transaction a response belongs to: our branch + CSeq method.
    pub fn client(branch: &str, method: Method, method_name: &str) -> TxnKey {
        Self::join(&[branch, method_class(method, method_name)])
    }

    /// The client key for a received response.
    pub fn for_response(resp: &Message) -> Result<TxnKey, ParseError> {
        let via = resp.via()?;
        let cseq = resp.cseq().map_err(|k| ParseError { kind: k, offset: 0 })?;
        Ok(Self::client(via.branch().unwrap_or(""), cseq.method, cseq.method_name))
    }
}
