//! ACK (RFC 3261 §17.2.1, §13.3.1.4): to a non-2xx it ends the server
//! transaction; to a 2xx it goes to the call it confirms.

use std::time::Instant;

use crate::core::{Outbox, ShardCore};
use crate::sip::Message;
use crate::txn::TxnKey;

impl ShardCore {
    pub(crate) fn on_ack(&mut self, now: Instant, key: &TxnKey, msg: &Message, out: &mut Outbox) {
        if let Some(slot) = self.ist.find(key) {
            let mut ctx = self.clock.txn(now, &mut out.transmits, None);
            let pass_up = self.ist.get_mut(slot).is_some_and(|t| t.on_ack(&mut ctx, slot));
            if !pass_up {
                return;
            }
        }
        let Some(call) = self.dialog_of(msg) else {
            self.stats.stray_acks += 1;
            return;
        };
        let seq = msg.cseq_number().unwrap_or(0);
        let Some(c) = self.calls.get_mut(call) else { return };
        if !c.on_ack(seq, &mut self.step) {
            // An ACK retransmission, or a late one for an earlier 2xx.
            self.stats.retransmissions_in += 1;
        }
        self.run_effects(call, out);
    }
}
