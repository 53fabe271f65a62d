//! Non-INVITE client transaction, RFC 3261 §17.1.2 (Figure 6): BYE,
//! OPTIONS, INFO, NOTIFY and REFER we send.

use bytes::Bytes;

use super::ctx::{MessageKind, TxnCtx, TxnOutput, TxnSide, TxnTimer, TxnTimerRef};
use super::invite_client::ClientOutcome;
use super::peer::Peer;
use crate::sip::Method;
use crate::timer::TimerHandle;

/// States of Figure 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NictState {
    /// Request sent, Timer E retransmitting.
    Trying,
    /// A provisional arrived.
    Proceeding,
    /// A final arrived; Timer K absorbs retransmissions.
    Completed,
    /// Done.
    Terminated,
}

/// One non-INVITE client transaction.
#[derive(Debug)]
pub struct NonInviteClientTxn {
    /// Destination (its connection is learned from the first response).
    pub to: Peer,
    /// Current state.
    pub state: NictState,
    /// Slot generation.
    pub generation: u32,
    /// The call the request belongs to.
    pub call: Option<usize>,
    method: Method,
    request: Bytes,
    interval: std::time::Duration,
    timer_e: Option<TimerHandle>,
    timer_f: Option<TimerHandle>,
}

impl NonInviteClientTxn {
    fn at(&self, slot: usize, timer: TxnTimer) -> TxnTimerRef {
        TxnTimerRef { side: TxnSide::NonInviteClient, slot: slot as u32, generation: self.generation, timer }
    }

    /// Sends the request and arms F, and E over UDP.
    pub fn start<W: From<TxnTimerRef>, O: TxnOutput>(
        ctx: &mut TxnCtx<'_, W, O>,
        slot: usize,
        generation: u32,
        to: Peer,
        method: Method,
        request: Bytes,
    ) -> Self {
        ctx.send(to, request.clone(), MessageKind::Request(method));
        let mut t = NonInviteClientTxn {
            to,
            state: NictState::Trying,
            generation,
            call: None,
            method,
            request,
            interval: ctx.timers.t1,
            timer_e: None,
            timer_f: None,
        };
        if !to.reliable() {
            t.timer_e = Some(ctx.arm(t.at(slot, TxnTimer::E), t.interval));
        }
        t.timer_f = Some(ctx.arm(t.at(slot, TxnTimer::F), ctx.timers.t1x64()));
        t
    }

    /// A response. Returns the outcome to pass up for the first final.
    pub fn on_response<W: From<TxnTimerRef>, O: TxnOutput>(
        &mut self,
        ctx: &mut TxnCtx<'_, W, O>,
        slot: usize,
        code: u16,
    ) -> Option<ClientOutcome> {
        match self.state {
            NictState::Trying | NictState::Proceeding if code < 200 => {
                self.state = NictState::Proceeding;
                None
            }
            NictState::Trying | NictState::Proceeding => {
                ctx.disarm(&mut self.timer_e);
                ctx.disarm(&mut self.timer_f);
                self.state = NictState::Completed;
                // Nothing is retransmitted after a final: Timer K only
                // absorbs responses.
                self.request = Bytes::new();
                let k = ctx.timers.absorbing(self.to.reliable(), ctx.timers.t4);
                self.timer_e = Some(ctx.arm(self.at(slot, TxnTimer::K), k));
                Some(ClientOutcome::Final(code))
            }
            _ => None,
        }
    }

    /// A timer fired. Returns `Timeout` when Timer F gave up.
    pub fn on_timer<W: From<TxnTimerRef>, O: TxnOutput>(
        &mut self,
        ctx: &mut TxnCtx<'_, W, O>,
        slot: usize,
        timer: TxnTimer,
    ) -> Option<ClientOutcome> {
        match (self.state, timer) {
            (NictState::Trying | NictState::Proceeding, TxnTimer::E) => {
                ctx.send(self.to, self.request.clone(), MessageKind::Request(self.method));
                // §17.1.2.2: doubling to T2 in Trying, T2 flat in Proceeding.
                self.interval = match self.state {
                    NictState::Trying => (self.interval * 2).min(ctx.timers.t2),
                    _ => ctx.timers.t2,
                };
                self.timer_e = Some(ctx.arm(self.at(slot, TxnTimer::E), self.interval));
                None
            }
            (NictState::Trying | NictState::Proceeding, TxnTimer::F) => {
                ctx.disarm(&mut self.timer_e);
                self.timer_f = None;
                self.state = NictState::Terminated;
                Some(ClientOutcome::Timeout(TxnTimer::F))
            }
            (NictState::Completed, TxnTimer::K) => {
                self.timer_e = None;
                self.state = NictState::Terminated;
                None
            }
            _ => None,
        }
    }

    /// Cancels armed timers.
    pub fn clear_timers<W, O>(&mut self, ctx: &mut TxnCtx<'_, W, O>) {
        ctx.disarm(&mut self.timer_e);
        ctx.disarm(&mut self.timer_f);
    }
}
