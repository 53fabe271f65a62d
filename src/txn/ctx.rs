//! What a transaction may touch while it reacts: the clock reading it was
//! given, the shard's timer wheel and where its datagrams go, each one
//! typed by what it is.

use std::time::Instant;

use bytes::Bytes;

use super::config::TimerConfig;
use super::kept::KeptResponses;
use super::peer::Peer;
use super::request_boxes::RequestBoxes;
use crate::sip::Method;
use crate::timer::{TimerHandle, TimerWheel};

/// What an outgoing message is, so nobody reads its bytes again to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// A request with this method.
    Request(Method),
    /// A response with this status code.
    Response(u16),
}

/// Where a transaction's datagrams go (the shard's outbox).
pub trait TxnOutput {
    /// Queues `data` for `to`.
    fn send(&mut self, to: Peer, data: Bytes, kind: MessageKind);
}

/// The RFC 3261 timers a transaction arms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TxnTimer {
    /// INVITE client retransmit.
    A,
    /// INVITE client timeout.
    B,
    /// INVITE client wait for response retransmits.
    D,
    /// Non-INVITE client retransmit.
    E,
    /// Non-INVITE client timeout.
    F,
    /// INVITE server final-response retransmit.
    G,
    /// INVITE server wait for ACK.
    H,
    /// INVITE server absorb ACK retransmits.
    I,
    /// Non-INVITE server absorb request retransmits.
    J,
    /// Non-INVITE client absorb response retransmits.
    K,
    /// INVITE server Accepted state (RFC 6026).
    L,
    /// INVITE client Accepted state (RFC 6026).
    M,
}

/// Which table a transaction lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TxnSide {
    /// INVITE server transactions.
    InviteServer,
    /// Non-INVITE server transactions.
    NonInviteServer,
    /// INVITE client transactions.
    InviteClient,
    /// Non-INVITE client transactions.
    NonInviteClient,
}

/// A timer's target: the transaction's slot and generation, so a firing
/// for a slot that was reused is recognised and ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TxnTimerRef {
    /// Table.
    pub side: TxnSide,
    /// Slot in the table.
    pub slot: u32,
    /// Generation of the transaction in that slot.
    pub generation: u32,
    /// Which timer.
    pub timer: TxnTimer,
}

/// Borrowed shard state for one transaction step.
pub struct TxnCtx<'a, W, O> {
    /// The time of the event being handled.
    pub now: Instant,
    /// The shard's timer wheel.
    pub wheel: &'a mut TimerWheel<W>,
    /// Where datagrams go.
    pub out: O,
    /// T1/T2/T4.
    pub timers: &'a TimerConfig,
    /// Where lingering transactions keep their responses.
    pub kept: &'a mut KeptResponses,
    /// Where requests' boxes go back when a transaction lets them go.
    pub boxes: &'a mut RequestBoxes,
}

impl<W: From<TxnTimerRef>, O> TxnCtx<'_, W, O> {
    /// Arms `timer` to fire after `after`.
    pub fn arm(&mut self, at: TxnTimerRef, after: std::time::Duration) -> TimerHandle {
        self.wheel.insert(self.now + after, W::from(at))
    }
}

impl<W, O> TxnCtx<'_, W, O> {
    /// Cancels a timer if armed.
    pub fn disarm(&mut self, handle: &mut Option<TimerHandle>) {
        if let Some(h) = handle.take() {
            self.wheel.cancel(h);
        }
    }
}

impl<W, O: TxnOutput> TxnCtx<'_, W, O> {
    /// Queues a datagram.
    pub fn send(&mut self, to: Peer, data: Bytes, kind: MessageKind) {
        self.out.send(to, data, kind);
    }
}
