//! ACK (RFC 3261 §17.2.1, §13.3.1.4): to a non-2xx it ends the server
//! transaction; to a 2xx it confirms the call or the re-INVITE.

use std::time::Instant;

use super::call_table::Reinvite;
use super::{EventKind, Outbox, ShardCore};
use crate::dialog::{CallState, EndReason};
use crate::sip::Message;
use crate::txn::{TxnCtx, TxnKey};

impl ShardCore {
    /// ACK: to a non-2xx it ends the server transaction; to a 2xx it
    /// confirms the call (or the re-INVITE) and stops retransmission.
    pub(crate) fn on_ack(&mut self, now: Instant, key: &TxnKey, msg: &Message, out: &mut Outbox) {
        if let Some(slot) = self.ist.find(key) {
            let mut ctx =
                TxnCtx { now, wheel: &mut self.wheel, out: &mut out.datagrams, timers: &self.cfg.timers };
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
        if c.pending_2xx.is_none() || seq != c.pending_cseq {
            self.stats.retransmissions_in += 1;
            return; // an ACK retransmission, or a late one for an earlier 2xx
        }
        c.pending_2xx = None;
        for h in [c.retransmit.take(), c.ack_timeout.take()].into_iter().flatten() {
            self.wheel.cancel(h);
        }
        if c.reinvite == Some(Reinvite::Incoming) {
            c.reinvite = None;
            return;
        }
        c.state = CallState::Confirmed;
        let hangup = c.hangup_after;
        self.emit(call, EventKind::Established, out);
        match hangup {
            Some(after) if after.is_zero() => self.hang_up(now, call, EndReason::LocalBye, out),
            Some(after) => self.arm_call_timer(now, call, super::call_table::CallTimer::Hangup, after),
            None => {}
        }
    }
}
