//! The transport could not send a datagram: its call hears of it, and a
//! call we placed whose INVITE cannot be sent ends at once.

use std::time::Instant;

use super::ShardCore;
use crate::core::{CallHandle, Outbox};

impl ShardCore {
    /// A datagram of `call` (the transmit names it) could not be sent.
    pub fn on_send_failure(&mut self, now: Instant, call: CallHandle, detail: &str, out: &mut Outbox) {
        self.step.now = now;
        let sent_before = out.transmits.len();
        let Some(slot) = self.calls.live(self.cfg.shard, call) else { return };
        let Some(c) = self.calls.get_mut(slot) else { return };
        let invite = c.leg().map(|l| l.invite_txn);
        if c.on_send_failure(detail, &mut self.step)
            && let Some((txn, generation)) = invite
            && self.ict.get(txn).is_some_and(|t| t.generation == generation)
            && let Some(mut t) = self.ict.remove(txn)
        {
            t.clear_timers(&mut self.clock.txn(now, &mut out.transmits, None));
        }
        self.run_effects(slot, out);
        self.stats.count_out(&out.transmits[sent_before..]);
    }
}
