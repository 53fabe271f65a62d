//! What a call we place (UAC role) keeps beside its dialog: its INVITE
//! client transaction, the ACK it resends for 2xx retransmissions, its
//! early dialogs and where a CANCEL stands.

use std::time::Duration;

use bytes::Bytes;

use crate::media::MediaMode;

/// A call to place: the application's side of `place_call`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingCall {
    /// Request-URI, e.g. `sip:service@127.0.0.1:5060`. Its host must be
    /// an IP address (there is no DNS in the engine): the INVITE goes
    /// there.
    pub target: String,
    /// Our identity (From), a URI or name-addr, e.g. `sip:alice@127.0.0.1`.
    pub from: String,
    /// The callee (To), a URI or name-addr.
    pub to: String,
    /// The call's media mode once answered (None: configured).
    pub media: Option<MediaMode>,
    /// Hang up (BYE) this long after the answer; None: the application
    /// (or the far end) ends the call.
    pub hang_up_after: Option<Duration>,
}

impl OutgoingCall {
    /// A call from `from` to `to` at `target`, with configured media and
    /// no automatic hang-up.
    pub fn new(target: &str, from: &str, to: &str) -> OutgoingCall {
        OutgoingCall {
            target: target.to_owned(),
            from: from.to_owned(),
            to: to.to_owned(),
            media: None,
            hang_up_after: None,
        }
    }
}

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
    pub invite_txn: (usize, u32),
    /// That INVITE's CSeq number (it grows with each auth retry).
    pub invite_cseq: u32,
    pub cancel: CancelState,
    /// To tags of the early dialogs (1xx with a tag), first one first.
    pub early: Vec<Box<str>>,
    /// To tags of extra 2xx (forks) we ACKed and sent BYE to.
    pub released: Vec<Box<str>>,
    /// The ACK for the confirmed 2xx, resent on each retransmission.
    pub ack: Option<Bytes>,
    /// Challenges answered so far (we give up after two).
    pub auth_tries: u8,
    /// Placed by the load generator (counts against its concurrency).
    pub from_load: bool,
}

/// Most early dialogs remembered per call (a fork bomb stays bounded).
pub(crate) const MAX_EARLY_DIALOGS: usize = 8;
