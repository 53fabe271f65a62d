//! Timer firings: transaction timers go to their state machine (stale
//! generations are ignored), call timers drive answering, hang-up and 2xx
//! retransmission.

use std::time::Instant;

use super::call_table::CallTimer;
use super::{CoreTimer, Outbox, ShardCore};
use crate::dialog::{CallHandle, EndReason};
use crate::txn::{ClientOutcome, IctState, IstState, NictState, NistState, TxnCtx, TxnSide, TxnTimerRef};

impl ShardCore {
    pub(crate) fn on_timer(&mut self, now: Instant, t: CoreTimer, out: &mut Outbox) {
        match t {
            CoreTimer::Txn(r) => self.on_txn_timer(now, r, out),
            CoreTimer::Load => self.on_load_timer(now, out),
            CoreTimer::Call { slot, generation, timer } => {
                let handle = CallHandle { slot, generation };
                if self.calls.live(handle).is_some() {
                    self.on_call_timer(now, slot as usize, timer, out);
                }
            }
        }
    }

    fn on_txn_timer(&mut self, now: Instant, r: TxnTimerRef, out: &mut Outbox) {
        let slot = r.slot as usize;
        let mut ctx =
            TxnCtx { now, wheel: &mut self.wheel, out: &mut out.datagrams, timers: &self.cfg.timers };
        let sent = ctx.out.len();
        match r.side {
            TxnSide::InviteServer => {
                let Some(t) = self.ist.get_mut(slot).filter(|t| t.generation == r.generation) else { return };
                if t.on_timer(&mut ctx, slot, r.timer) {
                    self.stats.timer_h_expired += 1;
                }
                if t.state == IstState::Terminated {
                    self.ist.remove(slot);
                }
            }
            TxnSide::NonInviteServer => {
                let Some(t) = self.nist.get_mut(slot).filter(|t| t.generation == r.generation) else {
                    return;
                };
                t.on_timer(r.timer);
                if t.state == NistState::Terminated {
                    self.nist.remove(slot);
                }
            }
            TxnSide::InviteClient => {
                let Some(t) = self.ict.get_mut(slot).filter(|t| t.generation == r.generation) else { return };
                let outcome = t.on_timer(&mut ctx, slot, r.timer);
                let (state, call) = (t.state, t.call);
                let placed = call.is_some_and(|c| self.is_uac_invite(c, slot));
                if state == IctState::Terminated {
                    self.ict.remove(slot);
                }
                if let (Some(o @ ClientOutcome::Timeout(_)), Some(call), true) = (outcome, call, placed) {
                    self.on_uac_invite_response(now, call, o, None, out);
                } else if let (Some(ClientOutcome::Timeout(_)), Some(call)) = (outcome, call) {
                    // §14.1: a re-INVITE that times out ends the dialog.
                    if let Some(c) = self.calls.get_mut(call) {
                        c.reinvite = None;
                    }
                    self.on_request_failed(now, call, "INVITE", 0, out);
                }
            }
            TxnSide::NonInviteClient => {
                let Some(t) = self.nict.get_mut(slot).filter(|t| t.generation == r.generation) else {
                    return;
                };
                let outcome = t.on_timer(&mut ctx, slot, r.timer);
                let (state, call) = (t.state, t.call);
                if state == NictState::Terminated {
                    self.nict.remove(slot);
                }
                if let (Some(ClientOutcome::Timeout(_)), Some(call)) = (outcome, call) {
                    self.on_nict_final(now, call, slot, 0, out);
                }
            }
        }
        self.stats.retransmissions += (out.datagrams.len().saturating_sub(sent)) as u64;
    }

    fn on_call_timer(&mut self, now: Instant, call: usize, timer: CallTimer, out: &mut Outbox) {
        let Some(c) = self.calls.get_mut(call) else { return };
        match timer {
            CallTimer::Answer => {
                c.answer = None;
                self.answer_call(now, call, out);
            }
            CallTimer::Hangup => {
                c.hangup = None;
                if c.invite_txn.is_some() {
                    // A deferred call nobody answered in time.
                    return self.reject_call(now, call, 480, out);
                }
                self.hang_up(now, call, EndReason::LocalBye, out);
            }
            CallTimer::Retransmit2xx => {
                c.retransmit = None;
                let Some(ok) = c.pending_2xx.clone() else { return };
                c.interval_2xx = (c.interval_2xx * 2).min(self.cfg.timers.t2);
                let (to, after) = (c.response_to, c.interval_2xx);
                out.datagrams.push(crate::txn::OutDatagram { to, data: ok });
                self.stats.retransmissions += 1;
                self.arm_call_timer(now, call, CallTimer::Retransmit2xx, after);
            }
            CallTimer::AckTimeout => {
                c.ack_timeout = None;
                // §13.3.1.4: no ACK in 64·T1 — confirm and end with BYE.
                if c.reinvite.is_some() {
                    c.reinvite = None;
                }
                let detail = "no ACK for our 2xx".into();
                self.call_error(call, super::CallErrorKind::Timeout, detail, out);
                self.hang_up(now, call, EndReason::AckTimeout, out);
            }
        }
    }
}
