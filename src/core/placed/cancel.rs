//! CANCEL of our INVITE (RFC 3261 §9.1), once the call has asked for it:
//! built from the INVITE as sent, through its own client transaction.

use crate::core::{Outbox, ShardCore};
use crate::sip::Method;
use crate::txn::{IctState, NonInviteClientTxn, TxnKey};

impl ShardCore {
    /// The state of the INVITE transaction of the call we placed in `slot`.
    pub(crate) fn placed_invite_state(&self, slot: usize) -> Option<IctState> {
        let (txn, generation) = self.calls.get(slot)?.leg()?.invite_txn;
        self.ict.get(txn).filter(|t| t.generation == generation).map(|t| t.state)
    }

    #[inline(never)]
    pub(crate) fn send_cancel(&mut self, slot: usize, out: &mut Outbox) {
        let generation = self.ids.generation();
        let Some((txn, invite_generation)) = self.calls.get(slot).and_then(|c| c.leg()).map(|l| l.invite_txn)
        else {
            return;
        };
        let Some(t) = self.ict.get(txn).filter(|t| t.generation == invite_generation) else { return };
        let Some(invite) = t.invite() else { return };
        let data = self.writer.cancel_for(&invite);
        let branch = invite.via().ok().and_then(|v| v.branch()).unwrap_or("").to_owned();
        let to = t.to;
        let handle = Some(self.handle(slot));
        let mut ctx = self.clock.txn(self.step.now, &mut out.transmits, handle);
        let nict = self.nict.next_slot();
        let mut t = NonInviteClientTxn::start(&mut ctx, nict, generation, to, Method::Cancel, data);
        t.call = Some(slot);
        let nict = self.nict.insert(TxnKey::client(&branch, Method::Cancel, "CANCEL"), t);
        if let Some(c) = self.calls.get_mut(slot) {
            c.cancel_started(nict);
        }
    }
}
