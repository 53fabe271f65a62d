//! PRACK (RFC 3262 §3): in the call's early dialog, matched by its RAck
//! to our reliable provisional waiting for it — 200, and the 2xx that
//! waited goes out after; one that matches nothing gets 481, one without
//! a readable RAck 400.

use std::net::SocketAddr;
use std::time::Instant;

use super::Extra;
use crate::core::reliable::RAck;
use crate::core::{Outbox, ShardCore};
use crate::sip::{HeaderName, Message, ResponseHead};
use crate::txn::TxnKey;

impl ShardCore {
    /// A PRACK in the dialog of the call in `call` (its CSeq checked).
    pub(crate) fn on_prack(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        call: usize,
        out: &mut Outbox,
    ) {
        let handle = Some(self.handle(call));
        let Some(rack) = msg.header(HeaderName::Rack).and_then(RAck::parse) else {
            self.stats.bad_requests += 1;
            let head = ResponseHead { code: 400, reason: "Bad Request - RAck", to_tag: None, source: None };
            return self.reply_non_invite(now, key, msg, from, head, Extra::default(), handle, out);
        };
        let Some(c) = self.calls.get_mut(call) else { return };
        let code = c.on_prack(rack, &mut self.step);
        let reason = if code == 200 { "OK" } else { "Call/Transaction Does Not Exist" };
        let head = ResponseHead { code, reason, to_tag: None, source: None };
        // The PRACK's 200 goes first; the 2xx that waited for it follows
        // with the call's effects.
        self.reply_non_invite(now, key, msg, from, head, Extra::default(), handle, out);
    }
}
