//! What a core step produces: datagrams to send, media commands and
//! application events. The runtime drains it after each call.

use std::net::SocketAddr;
use std::time::Duration;

use super::CallId;
use crate::dialog::{CallHandle, EndReason};
use crate::media::StreamReport;
use crate::txn::OutDatagram;

/// Media work for the RTP layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaCommand {
    /// Start media for a call on `local_port`, towards `remote` (if known).
    Open {
        /// The call.
        call: CallHandle,
        /// Our RTP port from the SDP answer.
        local_port: u16,
        /// The peer's RTP address from the offer.
        remote: Option<SocketAddr>,
        /// The payload type to play (0 PCMU, 8 PCMA).
        payload_type: u8,
        /// Whether we may send (false when the offer holds us).
        send: bool,
        /// The application's mode for this call (None: configured).
        mode: Option<crate::media::MediaMode>,
        /// The telephone-event payload type (DTMF), if negotiated.
        dtmf_pt: Option<u8>,
    },
    /// The application changed what the call's media does.
    Mode {
        /// The call.
        call: CallHandle,
        /// The call's RTP port.
        local_port: u16,
        /// The new mode.
        mode: crate::media::MediaMode,
    },
    /// Direction changed (hold/resume): `send` false while held.
    Direction {
        /// The call.
        call: CallHandle,
        /// The call's RTP port.
        local_port: u16,
        /// Whether we may send.
        send: bool,
    },
    /// Stop media and free the port.
    Close {
        /// The call.
        call: CallHandle,
        /// The port to free.
        local_port: u16,
    },
}

/// What the application is told about a call.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// A new INVITE (Call-ID and peer address).
    Incoming {
        /// SIP Call-ID.
        call_id: String,
        /// Where it came from.
        source: SocketAddr,
    },
    /// We sent 180.
    Ringing,
    /// We sent 200.
    Answered,
    /// The ACK arrived.
    Established,
    /// The call is on hold (the peer held it, or our hold was accepted).
    Held,
    /// The call is off hold again.
    Resumed,
    /// The call's RTP stream opened on `local_port`.
    MediaStarted {
        /// Our RTP port.
        local_port: u16,
    },
    /// The call's RTP stream closed; its counters.
    MediaStopped(StreamReport),
    /// No RTP arrived for the media timeout.
    MediaTimeout,
    /// The caller pressed a key (RFC 4733 telephone-event).
    Dtmf {
        /// 0-9, *, #, A-D.
        digit: char,
        /// How long it was held.
        duration: Duration,
    },
    /// A request we sent in the call failed (hold/resume re-INVITE
    /// rejected): the call goes on as before.
    RequestFailed {
        /// The method.
        method: &'static str,
        /// The final status.
        code: u16,
    },
    /// Progress of the transfer we asked for (`transfer_call`).
    Transfer(TransferStatus),
    /// Something went wrong in the call (it may go on, or end with a
    /// `Terminated` that follows).
    Error {
        /// What kind of trouble.
        kind: CallErrorKind,
        /// What happened, for logs.
        detail: String,
    },
    /// The call ended.
    Terminated {
        /// Why.
        reason: EndReason,
        /// Time since the INVITE.
        duration: Duration,
        /// The media stream's final counters (the runtime fills them in
        /// when the stream has closed; None without media).
        media: Option<StreamReport>,
    },
}

/// Where a transfer (REFER, RFC 3515) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferStatus {
    /// The far end took the REFER (202): NOTIFYs follow.
    Accepted,
    /// The far end refused the REFER with this status (0: no answer);
    /// the call goes on.
    Refused(u16),
    /// The far end's call to the target is in progress (a 1xx NOTIFY).
    Trying(u16),
    /// The target answered: the engine ends our call with BYE.
    Succeeded(u16),
    /// The far end's call to the target failed with this status (0: the
    /// subscription ended without one); the call goes on.
    Failed(u16),
}

/// The kind of a per-call error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallErrorKind {
    /// A datagram for the call could not be sent.
    Transport,
    /// The peer broke the protocol (out-of-order CSeq, glare, an offer we
    /// cannot accept); we answered with an error status.
    Protocol,
    /// Something we sent got no answer in time (ACK, BYE, re-INVITE...).
    Timeout,
}

/// An event for one call.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The call.
    pub call: CallId,
    /// What happened.
    pub kind: EventKind,
}

/// Everything one core step asks the outside world to do.
#[derive(Debug, Default)]
pub struct Outbox {
    /// Datagrams to send.
    pub datagrams: Vec<OutDatagram>,
    /// Media commands.
    pub media: Vec<MediaCommand>,
    /// Application events.
    pub events: Vec<Event>,
}

impl Outbox {
    /// Empties every queue (keeps the allocations).
    pub fn clear(&mut self) {
        self.datagrams.clear();
        self.media.clear();
        self.events.clear();
    }
}
