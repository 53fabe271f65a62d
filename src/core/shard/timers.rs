//! Timer firings: a transaction timer goes to its state machine (stale
//! generations are ignored) and its outcome to the call; a call timer goes
//! to its call.

use std::time::Instant;

use super::{CoreTimer, ShardCore};
use crate::core::Outbox;
use crate::txn::{ClientOutcome, IctState, IstState, NictState, NistState, TxnSide, TxnTimerRef};

impl ShardCore {
    pub(crate) fn on_timer(&mut self, now: Instant, t: CoreTimer, out: &mut Outbox) {
        match t {
            CoreTimer::Txn(r) => self.on_txn_timer(now, r, out),
            CoreTimer::Call { slot, generation, timer } => {
                let slot = slot as usize;
                let Some(c) = self.calls.get_mut(slot).filter(|c| c.generation() == generation) else {
                    return;
                };
                c.on_timer(timer, &mut self.step);
                self.run_effects(slot, out);
            }
        }
    }

    fn on_txn_timer(&mut self, now: Instant, r: TxnTimerRef, out: &mut Outbox) {
        let slot = r.slot as usize;
        let sent = out.transmits.len();
        match r.side {
            TxnSide::InviteServer => {
                let Some(t) = self.ist.get_mut(slot).filter(|t| t.generation == r.generation) else { return };
                // Only a final non-2xx is resent here: its call has ended.
                let mut ctx = self.clock.txn(now, &mut out.transmits, None);
                if t.on_timer(&mut ctx, slot, r.timer) {
                    self.stats.timer_h_expired += 1;
                }
                if t.state == IstState::Terminated && self.ist.remove(slot).is_some() {
                    self.admission.transaction_ended();
                }
            }
            TxnSide::NonInviteServer => {
                let Some(t) = self.nist.get_mut(slot).filter(|t| t.generation == r.generation) else {
                    return;
                };
                t.on_timer(r.timer);
                if t.state == NistState::Terminated && self.nist.remove(slot).is_some() {
                    self.admission.transaction_ended();
                }
            }
            TxnSide::InviteClient => {
                let Some(t) = self.ict.get_mut(slot).filter(|t| t.generation == r.generation) else { return };
                let call = t.call.map(|c| self.calls.handle(self.cfg.shard, c));
                let outcome = t.on_timer(&mut self.clock.txn(now, &mut out.transmits, call), slot, r.timer);
                let (state, call, txn) = (t.state, t.call, (slot, t.generation));
                if state == IctState::Terminated {
                    self.ict.remove(slot);
                }
                self.stats.retransmissions += (out.transmits.len() - sent) as u64;
                if let (Some(o @ ClientOutcome::Timeout(_)), Some(call)) = (outcome, call) {
                    self.on_invite_outcome(call, txn, o, None, out);
                }
                return;
            }
            TxnSide::NonInviteClient => {
                let Some(t) = self.nict.get_mut(slot).filter(|t| t.generation == r.generation) else {
                    return;
                };
                let call = t.call.map(|c| self.calls.handle(self.cfg.shard, c));
                let outcome = t.on_timer(&mut self.clock.txn(now, &mut out.transmits, call), slot, r.timer);
                let (state, call) = (t.state, t.call);
                if state == NictState::Terminated {
                    self.nict.remove(slot);
                }
                self.stats.retransmissions += (out.transmits.len() - sent) as u64;
                if let (Some(ClientOutcome::Timeout(_)), Some(call)) = (outcome, call) {
                    self.on_request_outcome(call, slot, 0, out);
                }
                return;
            }
        }
        self.stats.retransmissions += (out.transmits.len() - sent) as u64;
    }
}
