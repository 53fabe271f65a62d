//! Non-INVITE server transaction, RFC 3261 §17.2.2 (Figure 8). In
//! Completed it lingers 64·T1 over UDP to answer retransmissions, keeping
//! its final response apart (`KeptResponses`: a share of an output block
//! would keep the whole block alive); over a stream it leaves at once and
//! keeps nothing.

use bytes::Bytes;

use super::ctx::{MessageKind, TxnCtx, TxnOutput, TxnSide, TxnTimer, TxnTimerRef};
use super::peer::Peer;
use crate::timer::TimerHandle;

/// States of Figure 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NistState {
    /// No response yet.
    Trying,
    /// A provisional was sent.
    Proceeding,
    /// A final was sent; Timer J absorbs retransmissions.
    Completed,
    /// Done.
    Terminated,
}

/// One non-INVITE server transaction (BYE, OPTIONS, CANCEL, INFO…).
#[derive(Debug)]
pub struct NonInviteServerTxn {
    /// Where responses go (over a stream: the request's connection).
    pub reply_to: Peer,
    /// Current state.
    pub state: NistState,
    /// Slot generation.
    pub generation: u32,
    last_response: Option<(Bytes, u16)>,
    timer_j: Option<TimerHandle>,
}

impl NonInviteServerTxn {
    /// A new transaction in Trying.
    pub fn new(reply_to: Peer, generation: u32) -> Self {
        NonInviteServerTxn {
            reply_to,
            state: NistState::Trying,
            generation,
            last_response: None,
            timer_j: None,
        }
    }

    /// Sends a response and moves the state on.
    pub fn respond<W: From<TxnTimerRef>, O: TxnOutput>(
        &mut self,
        ctx: &mut TxnCtx<'_, W, O>,
        slot: usize,
        code: u16,
        data: Bytes,
    ) {
        if matches!(self.state, NistState::Completed | NistState::Terminated) {
            return;
        }
        ctx.send(self.reply_to, data.clone(), MessageKind::Response(code));
        if code < 200 {
            self.last_response = Some((data, code));
            self.state = NistState::Proceeding;
        } else {
            let keep = !self.reply_to.reliable();
            self.last_response = keep.then(|| (ctx.kept.keep(&data), code));
            self.state = NistState::Completed;
            let at = TxnTimerRef {
                side: TxnSide::NonInviteServer,
                slot: slot as u32,
                generation: self.generation,
                timer: TxnTimer::J,
            };
            let j = ctx.timers.absorbing(self.reply_to.reliable(), ctx.timers.t1x64());
            self.timer_j = Some(ctx.arm(at, j));
        }
    }

    /// A retransmitted request: the last response again, if any. Returns
    /// whether something was resent.
    pub fn on_retransmit<W, O: TxnOutput>(&self, ctx: &mut TxnCtx<'_, W, O>) -> bool {
        match (self.state, &self.last_response) {
            (NistState::Proceeding | NistState::Completed, Some((last, code))) => {
                ctx.send(self.reply_to, last.clone(), MessageKind::Response(*code));
                true
            }
            _ => false,
        }
    }

    /// Bytes this transaction keeps on the heap (a response waiting for
    /// retransmission).
    pub fn heap_bytes(&self) -> usize {
        self.last_response.as_ref().map_or(0, |(b, _)| b.len())
    }

    /// Timer J fired: done.
    pub fn on_timer(&mut self, timer: TxnTimer) {
        if timer == TxnTimer::J && self.state == NistState::Completed {
            self.timer_j = None;
            self.state = NistState::Terminated;
        }
    }

    /// Cancels armed timers.
    pub fn clear_timers<W, O>(&mut self, ctx: &mut TxnCtx<'_, W, O>) {
        ctx.disarm(&mut self.timer_j);
    }
}
