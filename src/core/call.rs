//! One call's state in the core (either role), the timers it may arm
//! and the offer/answer exchange it may have in progress.

use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::dialog::{CallState, Dialog, EndReason};
use crate::timer::TimerHandle;

/// Timers a call may have armed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallTimer {
    /// Send the 200 OK.
    Answer,
    /// Configured duration reached: send BYE (or, for a deferred call
    /// still unanswered, reject it with 480).
    Hangup,
    /// Retransmit our 2xx (RFC 3261 §13.3.1.4).
    Retransmit2xx,
    /// No ACK within 64·T1.
    AckTimeout,
}

/// An INVITE or UPDATE exchange in progress inside a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reinvite {
    /// The peer's re-INVITE, answered or not (IST slot).
    Incoming,
    /// Ours (ICT slot), with the hold state it asks for.
    Outgoing { slot: usize, hold: bool },
}

/// One call's state in the core.
#[derive(Debug)]
pub(crate) struct Call {
    pub generation: u32,
    pub state: CallState,
    pub dialog: Dialog,
    pub started: Instant,
    /// The initial INVITE's server transaction, until it is answered.
    pub invite_txn: Option<usize>,
    pub reinvite: Option<Reinvite>,
    /// A 2xx retransmitted until its ACK arrives.
    pub pending_2xx: Option<Bytes>,
    /// CSeq number of the INVITE that 2xx answers: its ACK carries it.
    pub pending_cseq: u32,
    /// Where the 2xx (and its retransmissions) go.
    pub response_to: std::net::SocketAddr,
    /// Media was opened (an Open command went out).
    pub media_open: bool,
    pub interval_2xx: Duration,
    pub retransmit: Option<TimerHandle>,
    pub ack_timeout: Option<TimerHandle>,
    pub answer: Option<TimerHandle>,
    pub hangup: Option<TimerHandle>,
    pub hangup_after: Option<Duration>,
    /// The SDP answer to send with the 200.
    pub sdp_answer: Option<Bytes>,
    pub local_port: Option<u16>,
    pub sdp_version: u64,
    pub remote_held: bool,
    pub remote_media: Option<std::net::SocketAddr>,
    /// The payload type our media plays.
    pub payload_type: u8,
    /// The application's media mode for this call (None: configured).
    pub media_mode: Option<crate::media::MediaMode>,
    /// The negotiated telephone-event payload type.
    pub dtmf_pt: Option<u8>,
    pub local_held: bool,
    /// Set when we sent BYE: the reason the call will end with.
    pub ending: Option<EndReason>,
    /// Our BYE's client transaction (NICT slot) and our last re-INVITE's
    /// (ICT slot): detached when the call ends, as their slots outlive it.
    pub bye_txn: Option<u32>,
    pub reinvite_txn: Option<u32>,
    /// Our INFO and REFER in flight (NICT slots): one of each at a time.
    pub info_txn: Option<u32>,
    pub refer_txn: Option<u32>,
    /// Our REFER was sent and its subscription has not ended: NOTIFYs
    /// with `Event: refer` report the transfer's progress.
    pub transferring: bool,
    /// For a call we placed: its INVITE, CANCEL and ACK state.
    pub uac: Option<Box<super::uac_leg::UacLeg>>,
}

impl Call {
    /// A call with nothing armed, no media and no request in flight.
    pub(crate) fn new(
        generation: u32,
        state: CallState,
        dialog: Dialog,
        started: Instant,
        response_to: std::net::SocketAddr,
    ) -> Call {
        Call {
            generation,
            state,
            dialog,
            started,
            invite_txn: None,
            reinvite: None,
            pending_2xx: None,
            pending_cseq: 0,
            response_to,
            media_open: false,
            interval_2xx: Duration::ZERO,
            retransmit: None,
            ack_timeout: None,
            answer: None,
            hangup: None,
            hangup_after: None,
            sdp_answer: None,
            local_port: None,
            sdp_version: 1,
            remote_held: false,
            payload_type: 0,
            media_mode: None,
            dtmf_pt: None,
            remote_media: None,
            local_held: false,
            ending: None,
            bye_txn: None,
            reinvite_txn: None,
            info_txn: None,
            refer_txn: None,
            transferring: false,
            uac: None,
        }
    }
}
