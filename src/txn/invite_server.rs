//! INVITE server transaction, RFC 3261 §17.2.1 as corrected by RFC 6026:
//! a 2xx moves it to Accepted (Timer L) and the TU retransmits the 2xx.
//!
//! What lingers is lean: in Accepted it only absorbs INVITE
//! retransmissions, so the request and the 2xx are let go (the call keeps
//! its own 2xx until the ACK); a non-2xx final is kept apart
//! (`KeptResponses`, not a share of an output block) until the ACK, and
//! Confirmed keeps nothing.

use std::net::SocketAddr;

use bytes::Bytes;

use super::ctx::{MessageKind, TxnCtx, TxnOutput, TxnSide, TxnTimer, TxnTimerRef};
use super::peer::Peer;
use crate::sip::Message;
use crate::timer::TimerHandle;

/// States of Figure 7 plus Accepted (RFC 6026 §8.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IstState {
    /// Provisional responses may be sent.
    Proceeding,
    /// A non-2xx final was sent; retransmitting it until ACK.
    Completed,
    /// ACK received; absorbing ACK retransmissions.
    Confirmed,
    /// A 2xx was sent; absorbing INVITE retransmissions.
    Accepted,
    /// Done; the table drops it.
    Terminated,
}

/// One INVITE server transaction.
#[derive(Debug)]
pub struct InviteServerTxn {
    /// The request (an exact-size buffer from the transport), boxed;
    /// gone once a 2xx was sent.
    request: Option<Box<Message>>,
    /// Where the request came from.
    pub source: SocketAddr,
    /// Where responses go (over a stream: the request's connection).
    pub reply_to: Peer,
    /// Current state.
    pub state: IstState,
    /// Slot generation, to ignore stale timer firings.
    pub generation: u32,
    /// The call this INVITE belongs to, if any.
    pub call: Option<usize>,
    last_response: Option<(Bytes, u16)>,
    retransmit: Option<TimerHandle>,
    timeout: Option<TimerHandle>,
    interval: std::time::Duration,
}

impl InviteServerTxn {
    /// A new transaction in Proceeding.
    pub fn new(request: Box<Message>, source: SocketAddr, reply_to: Peer, generation: u32) -> Self {
        InviteServerTxn {
            request: Some(request),
            source,
            reply_to,
            state: IstState::Proceeding,
            generation,
            call: None,
            last_response: None,
            retransmit: None,
            timeout: None,
            interval: std::time::Duration::ZERO,
        }
    }

    /// The request, until a 2xx was sent.
    pub fn request(&self) -> Option<&Message> {
        self.request.as_deref()
    }

    fn at(&self, slot: usize, timer: TxnTimer) -> TxnTimerRef {
        TxnTimerRef { side: TxnSide::InviteServer, slot: slot as u32, generation: self.generation, timer }
    }

    /// Sends a response built by the TU and moves the state on.
    pub fn respond<W: From<TxnTimerRef>, O: TxnOutput>(
        &mut self,
        ctx: &mut TxnCtx<'_, W, O>,
        slot: usize,
        code: u16,
        data: Bytes,
    ) {
        if self.state != IstState::Proceeding {
            return;
        }
        ctx.send(self.reply_to, data.clone(), MessageKind::Response(code));
        if code < 200 {
            self.last_response = Some((data, code));
            return;
        }
        if code < 300 {
            self.last_response = None;
            if let Some(b) = self.request.take() {
                ctx.boxes.recycle(b);
            }
            self.state = IstState::Accepted;
            self.timeout = Some(ctx.arm(self.at(slot, TxnTimer::L), ctx.timers.t1x64()));
        } else {
            self.state = IstState::Completed;
            self.last_response = Some((ctx.kept.keep(&data), code));
            self.interval = ctx.timers.t1;
            if !self.reply_to.reliable() {
                self.retransmit = Some(ctx.arm(self.at(slot, TxnTimer::G), self.interval));
            }
            self.timeout = Some(ctx.arm(self.at(slot, TxnTimer::H), ctx.timers.t1x64()));
        }
    }

    /// A retransmitted INVITE: the last response again (never the TU).
    pub fn on_retransmit<W, O: TxnOutput>(&self, ctx: &mut TxnCtx<'_, W, O>) -> bool {
        match (&self.state, &self.last_response) {
            (IstState::Proceeding | IstState::Completed, Some((last, code))) => {
                ctx.send(self.reply_to, last.clone(), MessageKind::Response(*code));
                true
            }
            _ => false,
        }
    }

    /// An ACK with this transaction's branch: ends Completed. Returns true
    /// when the TU should see it (ACK to a 2xx sent by an RFC 2543 peer).
    pub fn on_ack<W: From<TxnTimerRef>, O: TxnOutput>(
        &mut self,
        ctx: &mut TxnCtx<'_, W, O>,
        slot: usize,
    ) -> bool {
        match self.state {
            IstState::Completed => {
                ctx.disarm(&mut self.retransmit);
                ctx.disarm(&mut self.timeout);
                self.state = IstState::Confirmed;
                self.last_response = None;
                let i = ctx.timers.absorbing(self.reply_to.reliable(), ctx.timers.t4);
                self.timeout = Some(ctx.arm(self.at(slot, TxnTimer::I), i));
                false
            }
            IstState::Accepted => true,
            _ => false,
        }
    }

    /// A timer fired. Returns true when Timer H gave up waiting for ACK.
    pub fn on_timer<W: From<TxnTimerRef>, O: TxnOutput>(
        &mut self,
        ctx: &mut TxnCtx<'_, W, O>,
        slot: usize,
        timer: TxnTimer,
    ) -> bool {
        match (self.state, timer) {
            (IstState::Completed, TxnTimer::G) => {
                if let Some((last, code)) = &self.last_response {
                    ctx.send(self.reply_to, last.clone(), MessageKind::Response(*code));
                }
                self.interval = (self.interval * 2).min(ctx.timers.t2);
                self.retransmit = Some(ctx.arm(self.at(slot, TxnTimer::G), self.interval));
                false
            }
            (IstState::Completed, TxnTimer::H) => {
                ctx.disarm(&mut self.retransmit);
                self.timeout = None;
                self.state = IstState::Terminated;
                true
            }
            (IstState::Confirmed, TxnTimer::I) | (IstState::Accepted, TxnTimer::L) => {
                self.timeout = None;
                self.state = IstState::Terminated;
                false
            }
            _ => false,
        }
    }

    /// Bytes this transaction keeps on the heap (the request, a response
    /// waiting for retransmission).
    pub fn heap_bytes(&self) -> usize {
        self.request.as_ref().map_or(0, |r| r.as_bytes().len())
            + self.last_response.as_ref().map_or(0, |(b, _)| b.len())
    }

    /// Cancels every armed timer (shutdown or forced removal).
    pub fn clear_timers<W, O>(&mut self, ctx: &mut TxnCtx<'_, W, O>) {
        ctx.disarm(&mut self.retransmit);
        ctx.disarm(&mut self.timeout);
    }
}
