//! What the application is told about its calls.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::CallInfo;
use crate::core::CallHandle;
use crate::dialog::EndReason;
use crate::media::StreamReport;

/// What the application is told about a call.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EventKind {
    /// A new INVITE (its Call-ID, URIs and source are in the event's
    /// [`CallInfo`]).
    Incoming,
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
        /// The SRTP suite when the stream is encrypted (None: plain RTP).
        srtp: Option<crate::media::SrtpSuite>,
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
    /// The INFO we sent was answered with this success status (2xx).
    InfoDelivered {
        /// The status.
        code: u16,
    },
    /// A request we sent in the call failed with a final status (an INFO
    /// or a hold/resume re-INVITE refused): the call goes on as before.
    /// (No answer at all is an `Error` of kind `Timeout`.)
    RequestFailed {
        /// The method.
        method: &'static str,
        /// The final status.
        code: u16,
    },
    /// Progress of the transfer we asked for (`transfer_call`).
    Transfer(TransferStatus),
    /// The peer asked us to call `target` (a REFER the handler accepted,
    /// RFC 3515): place that call with `OutgoingCall::referred(call,
    /// referred_by)`; its progress goes to the peer as NOTIFYs.
    Referred {
        /// The Refer-To URI.
        target: String,
        /// The Referred-By URI, when the REFER named one.
        referred_by: Option<String>,
    },
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
#[non_exhaustive]
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
    /// No NOTIFY came in time (none within 64·T1 of the 202, or none
    /// before the expiry the last one gave): the transfer is over, the
    /// call goes on.
    Expired,
}

/// The kind of a per-call error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallErrorKind {
    /// A datagram for the call could not be sent.
    Transport,
    /// The peer broke the protocol (out-of-order CSeq, glare, an offer we
    /// cannot accept); we answered with an error status.
    Protocol,
    /// Something we sent got no answer in time (ACK, BYE, re-INVITE...).
    Timeout,
}

/// An event for one call: when, which call (its handle and context),
/// what happened.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The call.
    pub call: CallHandle,
    /// When the engine saw it happen (the monotonic clock of the shard
    /// step, or of the runtime for media events; `Event::system_time`
    /// gives wall-clock time).
    pub at: Instant,
    /// Who the call is between: direction, Call-ID, URIs, peer address.
    pub info: Arc<CallInfo>,
    /// What happened.
    pub kind: EventKind,
}

impl Event {
    /// An event of `call` at `at`.
    pub fn new(call: CallHandle, at: Instant, info: Arc<CallInfo>, kind: EventKind) -> Event {
        Event { call, at, info, kind }
    }
}
