//! What a transaction may touch while it reacts: the clock reading it was
//! given, the shard's timer wheel and the outgoing datagrams.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;

use super::config::TimerConfig;
use crate::timer::{TimerHandle, TimerWheel};

/// A datagram to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutDatagram {
    /// Destination.
    pub to: SocketAddr,
    /// Bytes on the wire.
    pub data: Bytes,
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
pub struct TxnCtx<'a, W> {
    /// The time of the event being handled.
    pub now: Instant,
    /// The shard's timer wheel.
    pub wheel: &'a mut TimerWheel<W>,
    /// Datagrams to send.
    pub out: &'a mut Vec<OutDatagram>,
    /// T1/T2/T4.
    pub timers: &'a TimerConfig,
}

impl<W: From<TxnTimerRef>> TxnCtx<'_, W> {
    /// Arms `timer` to fire after `after`.
    pub fn arm(&mut self, at: TxnTimerRef, after: std::time::Duration) -> TimerHandle {
        self.wheel.insert(self.now + after, W::from(at))
    }
}

impl<W> TxnCtx<'_, W> {
    /// Cancels a timer if armed.
    pub fn disarm(&mut self, handle: &mut Option<TimerHandle>) {
        if let Some(h) = handle.take() {
            self.wheel.cancel(h);
        }
    }

    /// Queues a datagram.
    pub fn send(&mut self, to: SocketAddr, data: Bytes) {
        self.out.push(OutDatagram { to, data });
    }
}
