//! The call state machine: its states, every legal move between them, and
//! why calls end. The core's `Call` makes the moves (one place changes the
//! state, and checks it against `may_become`).

/// A call's state. UAS: incoming → (ringing) → answered → confirmed →
/// (terminating) → terminated. UAC: calling → (ringing) → confirmed →
/// (terminating) → terminated. Hold and resume do not change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallState {
    /// A call we placed: INVITE sent, no answer yet.
    Calling,
    /// INVITE received, 100 Trying sent.
    Incoming,
    /// 180 Ringing sent (or, for a call we placed, a 180/183 arrived).
    Ringing,
    /// 2xx sent, waiting for ACK.
    Answered,
    /// ACK received (for a call we placed: the 2xx ACKed): the call is up.
    Confirmed,
    /// We sent BYE and wait for its answer.
    Terminating,
    /// Over.
    Terminated,
}

impl CallState {
    /// Whether a call may move from `self` to `next`: the whole state
    /// machine, each move with the event that makes it.
    pub fn may_become(self, next: CallState) -> bool {
        use CallState::*;
        match (self, next) {
            // We sent 180 (UAS), or a 180/183 arrived (UAC).
            (Incoming | Calling, Ringing) => true,
            // We sent our 2xx.
            (Incoming | Ringing, Answered) => true,
            // The ACK for our 2xx arrived (UAS); a 2xx arrived and we ACKed
            // it (UAC).
            (Answered | Calling | Ringing, Confirmed) => true,
            // We sent BYE: our hang-up, a timeout, a transfer done, or the
            // ACK that never came.
            (Answered | Confirmed, Terminating) => true,
            // Any end: rejected, cancelled, BYE either way, a timeout,
            // shutdown.
            (Terminated, _) => false,
            (_, Terminated) => true,
            _ => false,
        }
    }
}

/// Why a call ended: every call ends with exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EndReason {
    /// The peer sent BYE.
    RemoteBye,
    /// We sent BYE (configured duration or a command) and it was answered.
    LocalBye,
    /// The peer cancelled before the answer.
    Cancelled,
    /// Rejected with this status: by us, or, for a call we placed, by
    /// the far end.
    Rejected(u16),
    /// No ACK for our 2xx within 64·T1; we sent BYE.
    AckTimeout,
    /// Our BYE got no final response (Timer F) or an error response.
    ByeFailed,
    /// A call we placed got no final response to its INVITE (Timer B).
    InviteTimeout,
    /// A call we placed could not be sent (the transport refused it).
    TransportError,
    /// The engine shut down before the call could end cleanly: the
    /// shutdown deadline passed first, or the BYE it sent failed. (A call
    /// whose shutdown BYE is answered in time ends as `LocalBye`.)
    Shutdown,
    /// No RTP for the media timeout; we sent BYE.
    MediaTimeout,
    /// The peer took the call elsewhere on our REFER (RFC 5589): the
    /// transfer succeeded and we sent BYE.
    Transferred,
    /// A request we sent in the dialog got no answer, 408 or 481
    /// (RFC 3261 §12.2.1.2): the dialog is gone; we sent BYE.
    RequestTimeout,
    /// The peer did not refresh the session timer in time (RFC 4028
    /// §10); we sent BYE.
    SessionExpired,
}

impl EndReason {
    /// A stable name for counters and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::RemoteBye => "remote_bye",
            EndReason::LocalBye => "local_bye",
            EndReason::Cancelled => "cancelled",
            EndReason::Rejected(_) => "rejected",
            EndReason::AckTimeout => "ack_timeout",
            EndReason::ByeFailed => "bye_failed",
            EndReason::Shutdown => "shutdown",
            EndReason::InviteTimeout => "invite_timeout",
            EndReason::TransportError => "transport_error",
            EndReason::MediaTimeout => "media_timeout",
            EndReason::Transferred => "transferred",
            EndReason::RequestTimeout => "request_timeout",
            EndReason::SessionExpired => "session_expired",
        }
    }

    /// Completed calls (answered and ended by a BYE exchange).
    pub fn is_completed(self) -> bool {
        matches!(self, EndReason::RemoteBye | EndReason::LocalBye | EndReason::Transferred)
    }

    /// Calls that failed (as opposed to completed, cancelled or rejected).
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            EndReason::AckTimeout
                | EndReason::ByeFailed
                | EndReason::Shutdown
                | EndReason::MediaTimeout
                | EndReason::RequestTimeout
                | EndReason::InviteTimeout
                | EndReason::TransportError
                | EndReason::SessionExpired
        )
    }
}

#[cfg(test)]
mod tests {
    use super::CallState::*;

    #[test]
    fn the_legal_moves() {
        let legal = [
            (Incoming, Ringing),
            (Calling, Ringing),
            (Incoming, Answered),
            (Ringing, Answered),
            (Answered, Confirmed),
            (Calling, Confirmed),
            (Ringing, Confirmed),
            (Answered, Terminating),
            (Confirmed, Terminating),
            (Calling, Terminated),
            (Terminating, Terminated),
        ];
        for (from, to) in legal {
            assert!(from.may_become(to), "{from:?} -> {to:?}");
        }
        let illegal = [
            (Confirmed, Ringing),
            (Terminating, Confirmed),
            (Terminated, Incoming),
            (Calling, Answered),
            (Incoming, Terminating),
        ];
        for (from, to) in illegal {
            assert!(!from.may_become(to), "{from:?} -> {to:?}");
        }
    }
}
