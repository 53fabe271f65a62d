//! What a call we place (UAC role) keeps beside its dialog: its INVITE
//! client transaction, the ACK it resends for 2xx retransmissions, its
//! early dialogs and where a CANCEL stands.

use std::sync::Arc;

use bytes::Bytes;

use crate::core::OutgoingCall;

/// Where cancelling a call we placed stands (RFC 3261 §9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CancelState {
    /// Not asked.
    No,
    /// Cancel as soon as a 180/183 arrives (load generation).
    OnRinging,
    /// Asked before any provisional: CANCEL goes with the first one.
    Wanted,
    /// CANCEL sent: the 487 (or a crossing 2xx) will follow.
    Sent,
}

/// The caller's extra state for one call.
#[derive(Debug)]
pub(crate) struct UacLeg {
    /// Our current INVITE's client transaction (slot, generation).
    pub(crate) invite_txn: (usize, u32),
    /// That INVITE's CSeq number (it grows with each auth retry).
    pub(crate) invite_cseq: u32,
    pub(crate) cancel: CancelState,
    /// To tags of the early dialogs (1xx with a tag), first one first.
    pub(crate) early: Vec<Box<str>>,
    /// To tags of extra 2xx (forks) we ACKed and sent BYE to.
    pub(crate) released: Vec<Box<str>>,
    /// The ACK for the confirmed 2xx, resent on each retransmission.
    pub(crate) ack: Option<Bytes>,
    /// The RSeq each early dialog's reliable provisionals reached.
    pub(crate) rseqs: crate::core::reliable::RseqSeen,
    /// Challenges answered so far (we give up after two).
    pub(crate) auth_tries: u8,
    /// The call as the application described it (extra headers,
    /// credentials), shared with whoever placed it.
    pub(crate) call: Arc<OutgoingCall>,
}

/// Most early dialogs remembered per call (a fork bomb stays bounded).
pub(crate) const MAX_EARLY_DIALOGS: usize = 8;

impl UacLeg {
    pub(crate) fn new(cancel: CancelState, call: Arc<OutgoingCall>) -> UacLeg {
        UacLeg {
            invite_txn: (usize::MAX, 0),
            invite_cseq: 1,
            cancel,
            early: Vec::new(),
            released: Vec::new(),
            ack: None,
            rseqs: Default::default(),
            auth_tries: 0,
            call,
        }
    }

    /// A CANCEL was asked for or is out.
    pub(crate) fn cancelling(&self) -> bool {
        matches!(self.cancel, CancelState::Wanted | CancelState::Sent)
    }
}
