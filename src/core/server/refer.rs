//! REFER inside a call (RFC 3515 §2.4): one Refer-To naming a sip:,
//! sips: or tel: URI (else 400), a Referred-By likewise when present
//! (RFC 3892), a call that is up and has no other REFER in progress (else
//! 403 / 491); then the handler decides: 202 and the subscription's
//! first NOTIFY, or 403 / 603.

use std::net::SocketAddr;
use std::time::Instant;

use super::{Extra, reason_phrase};
use crate::core::command::text;
use crate::core::{IncomingRefer, IncomingRequest, Outbox, ShardCore};
use crate::sip::{HeaderName, Message, NameAddr, ResponseHead};
use crate::txn::TxnKey;

/// The URI of a Refer-To or Referred-By value, when it is one name-addr
/// (or bare URI) whose URI we could write back: printable text, sip:,
/// sips: or tel:, no header injection.
fn uri_of<'a>(value: &'a str, header: &'static str) -> Option<&'a str> {
    let na = NameAddr::parse(value.trim(), header).ok()?;
    text::is_uri(na.uri).then_some(na.uri)
}

impl ShardCore {
    /// A REFER in the dialog of the call in `call` (its CSeq checked).
    pub(crate) fn on_refer(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        call: usize,
        out: &mut Outbox,
    ) {
        let h = self.handle(call);
        let mut targets = msg.header_values(HeaderName::ReferTo);
        let target = match (targets.next(), targets.next()) {
            (Some(v), None) => uri_of(v, "Refer-To"),
            _ => None,
        };
        let by = msg.header(HeaderName::ReferredBy);
        let referred_by = by.map(|v| uri_of(v, "Referred-By"));
        let checked = match (target, referred_by) {
            (Some(t), None) => Ok((t, None)),
            (Some(t), Some(Some(by))) => Ok((t, Some(by))),
            (None, _) => Err((400, "Bad Request - One Refer-To URI")),
            (_, Some(None)) => Err((400, "Bad Request - Referred-By")),
        };
        let checked = checked.and_then(|t| {
            let c = self.calls.get(call).ok_or((481, "Call/Transaction Does Not Exist"))?;
            c.may_be_referred().map(|()| t)
        });
        let (code, reason) = match checked {
            Err(refusal) => refusal,
            Ok((target, referred_by)) => {
                let refer =
                    IncomingRefer { target, referred_by, request: IncomingRequest { msg, source: from } };
                let code = self.handler.on_refer(h, &refer).code();
                (code, reason_phrase(code))
            }
        };
        if code == 400 {
            self.stats.bad_requests += 1;
        }
        let accepted = (code == 202).then(|| {
            let owned = |s: &str| s.to_owned();
            (target.map(owned).unwrap_or_default(), referred_by.flatten().map(owned))
        });
        let id = msg.cseq_number().unwrap_or(0);
        let head = ResponseHead { code, reason, to_tag: None, source: None };
        let extra = Extra { dialog: code == 202, ..Extra::default() };
        self.reply_non_invite(now, key, msg, from, head, extra, Some(h), out);
        // The 202 first, then the subscription's first NOTIFY.
        if let (Some((target, referred_by)), Some(c)) = (accepted, self.calls.get_mut(call)) {
            c.refer_taken(id, target, referred_by, &mut self.step);
        }
    }
}
