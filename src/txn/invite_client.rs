//! INVITE client transaction, RFC 3261 §17.1.1 with RFC 6026: a 2xx moves
//! it to Accepted (Timer M) so 2xx retransmissions still reach the TU,
//! which ACKs each one; a non-2xx is ACKed here. The INVITE's bytes are
//! let go at the final response: nothing retransmits or cancels it after
//! that, and Timer M or D keeps the transaction a while longer.

use bytes::Bytes;

use super::ctx::{MessageKind, TxnCtx, TxnOutput, TxnSide, TxnTimer, TxnTimerRef};
use super::peer::Peer;
use crate::sip::{Message, Method, Writer};
use crate::timer::TimerHandle;

/// What a client transaction tells its TU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientOutcome {
    /// A provisional response.
    Provisional(u16),
    /// A final response (for INVITE, a 2xx retransmission repeats this).
    Final(u16),
    /// No final response before the timer gave up (B or F).
    Timeout(TxnTimer),
}

/// States of Figure 5 plus Accepted (RFC 6026 §8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IctState {
    /// INVITE sent, Timer A retransmitting.
    Calling,
    /// A provisional arrived.
    Proceeding,
    /// A non-2xx final arrived and was ACKed; Timer D.
    Completed,
    /// A 2xx arrived; Timer M.
    Accepted,
    /// Done.
    Terminated,
}

/// One INVITE client transaction.
#[derive(Debug)]
pub struct InviteClientTxn {
    /// The INVITE as sent; empty once a final response arrived.
    pub request: Bytes,
    /// Destination (its connection is learned from the first response).
    pub to: Peer,
    /// Current state.
    pub state: IctState,
    /// Slot generation.
    pub generation: u32,
    /// The call the INVITE belongs to.
    pub call: Option<usize>,
    ack: Option<Bytes>,
    interval: std::time::Duration,
    retransmit: Option<TimerHandle>,
    timeout: Option<TimerHandle>,
}

impl InviteClientTxn {
    /// The INVITE as sent, read again (we wrote it, so it is not checked
    /// once more); None once a final response let it go.
    pub fn invite(&self) -> Option<Message> {
        let limits = crate::sip::ParseLimits::default();
        Message::parse_unvalidated(self.request.clone(), &limits).ok()
    }

    fn at(&self, slot: usize, timer: TxnTimer) -> TxnTimerRef {
        TxnTimerRef { side: TxnSide::InviteClient, slot: slot as u32, generation: self.generation, timer }
    }

    /// Sends the INVITE and arms B, and A over UDP.
    pub fn start<W: From<TxnTimerRef>, O: TxnOutput>(
        ctx: &mut TxnCtx<'_, W, O>,
        slot: usize,
        generation: u32,
        to: Peer,
        request: Bytes,
    ) -> Self {
        ctx.send(to, request.clone(), MessageKind::Request(Method::Invite));
        let mut t = InviteClientTxn {
            request,
            to,
            state: IctState::Calling,
            generation,
            call: None,
            ack: None,
            interval: ctx.timers.t1,
            retransmit: None,
            timeout: None,
        };
        if !to.reliable() {
            t.retransmit = Some(ctx.arm(t.at(slot, TxnTimer::A), t.interval));
        }
        t.timeout = Some(ctx.arm(t.at(slot, TxnTimer::B), ctx.timers.t1x64()));
        t
    }

    /// A response; `writer` builds the ACK for a non-2xx.
    pub fn on_response<W: From<TxnTimerRef>, O: TxnOutput>(
        &mut self,
        ctx: &mut TxnCtx<'_, W, O>,
        slot: usize,
        resp: &Message,
        writer: &mut Writer,
    ) -> Option<ClientOutcome> {
        let code = resp.status_code()?;
        match (self.state, code) {
            (IctState::Calling | IctState::Proceeding, 100..=199) => {
                ctx.disarm(&mut self.retransmit);
                self.state = IctState::Proceeding;
                Some(ClientOutcome::Provisional(code))
            }
            (IctState::Calling | IctState::Proceeding, 200..=299) => {
                self.clear_timers(ctx);
                self.state = IctState::Accepted;
                self.request = Bytes::new();
                self.timeout = Some(ctx.arm(self.at(slot, TxnTimer::M), ctx.timers.t1x64()));
                Some(ClientOutcome::Final(code))
            }
            (IctState::Accepted, 200..=299) => Some(ClientOutcome::Final(code)),
            (IctState::Calling | IctState::Proceeding, _) => {
                self.clear_timers(ctx);
                if let Some(invite) = self.invite() {
                    let ack = writer.ack_for_non2xx(&invite, resp);
                    // Kept for Timer D on its own, not as a share of the
                    // writer's output block.
                    self.ack = Some(Bytes::copy_from_slice(&ack));
                    ctx.send(self.to, ack, MessageKind::Request(Method::Ack));
                }
                self.request = Bytes::new();
                self.state = IctState::Completed;
                let d = ctx.timers.absorbing(self.to.reliable(), ctx.timers.timer_d());
                self.timeout = Some(ctx.arm(self.at(slot, TxnTimer::D), d));
                Some(ClientOutcome::Final(code))
            }
            (IctState::Completed, 300..) => {
                if let Some(ack) = &self.ack {
                    ctx.send(self.to, ack.clone(), MessageKind::Request(Method::Ack));
                }
                None
            }
            _ => None,
        }
    }

    /// A timer fired. Returns `Timeout(B)` when no final arrived in time.
    pub fn on_timer<W: From<TxnTimerRef>, O: TxnOutput>(
        &mut self,
        ctx: &mut TxnCtx<'_, W, O>,
        slot: usize,
        timer: TxnTimer,
    ) -> Option<ClientOutcome> {
        match (self.state, timer) {
            (IctState::Calling, TxnTimer::A) => {
                ctx.send(self.to, self.request.clone(), MessageKind::Request(Method::Invite));
                self.interval *= 2;
                self.retransmit = Some(ctx.arm(self.at(slot, TxnTimer::A), self.interval));
                None
            }
            (IctState::Calling | IctState::Proceeding, TxnTimer::B) => {
                self.timeout = None;
                ctx.disarm(&mut self.retransmit);
                self.state = IctState::Terminated;
                Some(ClientOutcome::Timeout(TxnTimer::B))
            }
            (IctState::Completed, TxnTimer::D) | (IctState::Accepted, TxnTimer::M) => {
                self.timeout = None;
                self.state = IctState::Terminated;
                None
            }
            _ => None,
        }
    }

    /// Cancels armed timers.
    pub fn clear_timers<W, O>(&mut self, ctx: &mut TxnCtx<'_, W, O>) {
        ctx.disarm(&mut self.retransmit);
        ctx.disarm(&mut self.timeout);
    }
}
