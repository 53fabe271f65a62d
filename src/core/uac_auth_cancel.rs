//! The caller's answers to the far end: credentials for a digest
//! challenge (RFC 3261 §22.2, RFC 8760) and CANCEL of a call not yet
//! answered (§9.1).

use std::time::Instant;

use super::uac_leg::CancelState;
use super::{Outbox, ShardCore};
use crate::sip::Message;
use crate::sip::digest::Challenge;
use crate::txn::{NonInviteClientTxn, TxnCtx, TxnKey};

impl ShardCore {
    /// Resends the INVITE with credentials for a 401/407 challenge (a
    /// second time only when the server says the nonce was stale).
    pub(crate) fn answer_challenge(
        &mut self,
        now: Instant,
        call: usize,
        code: u16,
        msg: &Message,
        out: &mut Outbox,
    ) -> bool {
        let (challenge, credentials) = if code == 401 {
            ("WWW-Authenticate", "Authorization")
        } else {
            ("Proxy-Authenticate", "Proxy-Authorization")
        };
        let Some(ch) = msg.header_by_name(challenge).and_then(Challenge::parse) else { return false };
        let Some(creds) = self.cfg.credentials.clone() else { return false };
        let cnonce = self.next_id();
        let Some(c) = self.calls.get_mut(call) else { return false };
        let uri = c.dialog.remote_target();
        let Some(leg) = c.uac.as_mut() else { return false };
        if leg.auth_tries > 0 && !ch.stale {
            return false; // the same credentials failed already
        }
        let value = ch.answer(&creds.user, &creds.password, "INVITE", uri, &cnonce, 1);
        leg.auth_tries += 1;
        leg.invite_cseq += 1;
        self.stats.uac.auth_retries += 1;
        self.send_invite(now, call, Some((credentials, &value)), out);
        true
    }

    /// Cancels a call we placed (RFC 3261 §9.1): CANCEL once a provisional
    /// has arrived, else as soon as one does.
    pub(crate) fn cancel_placed_call(&mut self, now: Instant, call: usize, out: &mut Outbox) {
        let generation = self.next_generation();
        let Some(leg) = self.calls.get_mut(call).and_then(|c| c.uac.as_mut()) else { return };
        if leg.cancel == CancelState::Sent {
            return;
        }
        let Some(t) = self.ict.get(leg.invite_txn.0).filter(|t| t.generation == leg.invite_txn.1) else {
            return;
        };
        if t.state != crate::txn::IctState::Proceeding {
            leg.cancel = CancelState::Wanted;
            return;
        }
        leg.cancel = CancelState::Sent;
        let data = self.writer.cancel_for(&t.request);
        let branch = t.request.via().ok().and_then(|v| v.branch()).unwrap_or("").to_owned();
        let to = t.to;
        let mut ctx =
            TxnCtx { now, wheel: &mut self.wheel, out: &mut out.datagrams, timers: &self.cfg.timers };
        let slot = self.nict.next_slot();
        let txn = NonInviteClientTxn::start(&mut ctx, slot, generation, to, data);
        self.nict.insert(TxnKey::client(&branch, crate::sip::Method::Cancel, "CANCEL"), txn);
    }
}
