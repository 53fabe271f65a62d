//! CANCEL (RFC 3261 §9.2): 200 to the CANCEL, and 487 to the INVITE
//! while it is still pending; after a final response, 200 only.

use std::net::SocketAddr;
use std::time::Instant;

use super::respond::Extra;
use super::{Outbox, ShardCore};
use crate::dialog::EndReason;
use crate::sip::Message;
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
        let Some(slot) = invite else {
            let reason = "Call/Transaction Does Not Exist";
            return self.reply_non_invite(now, key, msg, from, 481, reason, None, Extra::default(), out);
        };
        let (state, call) =
            self.ist.get(slot).map(|t| (t.state, t.call)).unwrap_or((IstState::Terminated, None));
        let tag = call.and_then(|c| self.calls.get(c)).map(|c| super::Token::copy_of(c.dialog.local_tag()));
        self.reply_non_invite(now, key, msg, from, 200, "OK", tag.as_deref(), Extra::default(), out);
        if state != IstState::Proceeding {
            return; // a final response went out already: 200 only (§9.2)
        }
        if let Some(call) = call.filter(|&c| self.calls.get(c).is_some_and(|c| c.invite_txn == Some(slot))) {
            if let Some(c) = self.calls.get_mut(call) {
                c.invite_txn = None;
            }
            self.answer_invite(now, slot, 487, "Request Terminated", tag.as_deref(), Extra::default(), out);
            self.end_call(call, EndReason::Cancelled, now, out);
        }
    }
}
