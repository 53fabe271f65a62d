//! A referred call's outcome goes to the call whose REFER asked for it
//! (on this shard: `place_call` puts a referred call beside it): 200 once
//! answered, its final status when refused, 408 or 503 when it failed
//! otherwise, before any answer.

use crate::core::{CallHandle, Outbox, ShardCore};
use crate::dialog::EndReason;

impl ShardCore {
    /// The referred call's status `code` for the REFER of `referrer`
    /// (gone by now: nothing to tell).
    pub(crate) fn report_transfer(&mut self, referrer: CallHandle, code: u16, out: &mut Outbox) {
        let Some(slot) = self.calls.live(self.cfg.shard, referrer) else { return };
        if let Some(c) = self.calls.get_mut(slot) {
            c.transfer_progress(code, &mut self.step);
        }
        self.run_effects(slot, out);
    }
}

/// The status a referred call that ended unanswered reports.
pub(crate) fn unanswered_status(reason: EndReason) -> u16 {
    match reason {
        EndReason::Rejected(code) => code,
        EndReason::Cancelled => 487,
        EndReason::InviteTimeout => 408,
        _ => 503,
    }
}
