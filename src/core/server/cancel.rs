//! CANCEL (RFC 3261 §9.2): 200 to the CANCEL, and 487 to the INVITE
//! while it is still pending; after a final response, 200 only.

use std::net::SocketAddr;
use std::time::Instant;

use super::Extra;
use crate::core::ids::Token;
use crate::core::{Outbox, ShardCore};
use crate::sip::{Message, ResponseHead};
use crate::txn::{IstState, TxnKey};

impl ShardCore {
    pub(crate) fn on_cancel(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &Message,
        out: &mut Outbox,
    ) {
        let invite = TxnKey::cancelled_invite(msg).ok().and_then(|k| self.ist.find(&k));
        let Some(txn) = invite else {
            let reason = "Call/Transaction Does Not Exist";
            let head = ResponseHead { code: 481, reason, to_tag: None, source: None };
            return self.reply_non_invite(now, key, msg, from, head, Extra::default(), None, out);
        };
        let (state, call) = self.ist.get(txn).map_or((IstState::Terminated, None), |t| (t.state, t.call));
        let call = call.filter(|&c| self.calls.get(c).is_some());
        let tag = call.and_then(|c| self.calls.get(c)).map(|c| Token::copy_of(c.dialog().local_tag()));
        let handle = call.map(|c| self.handle(c));
        let head = ResponseHead { code: 200, reason: "OK", to_tag: tag.as_deref(), source: None };
        self.reply_non_invite(now, key, msg, from, head, Extra::default(), handle, out);
        if state != IstState::Proceeding {
            return; // a final response went out already: 200 only (§9.2)
        }
        if let Some(slot) = call
            && let Some(c) = self.calls.get_mut(slot)
        {
            c.on_cancel(txn, &mut self.step);
            self.run_effects(slot, out);
        }
    }
}
