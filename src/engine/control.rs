//! `CallControl`: commands to calls from any thread, routed to the shard
//! that owns the call; each is checked first (a refusal comes back at
//! once) and gives a `Pending` outcome to wait on, await or drop.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::pending::{Pending, PendingCall};
use crate::core::{CallHandle, Command, OnHold, OutgoingCall};
use crate::media::MediaMode;
use crate::runtime::{CommandSender, Reply, reply_channel};

/// Commands for calls. Clone it freely; it is Send + Sync and never
/// blocks: each command is checked, then queued for the call's shard.
/// After the engine has stopped, every command fails at once with
/// `CommandError::Stopped`.
///
/// ```no_run
/// # fn demo(engine: &sipbench::Engine, call: sipbench::CallHandle) -> sipbench::Result<()> {
/// use std::time::Duration;
/// use sipbench::OutgoingCall;
///
/// let control = engine.control();
/// control.accept_call(call).wait()?;
/// control.hold_call(call).wait_timeout(Duration::from_secs(1))?;
/// // Refused before anything is sent: the text would inject a header.
/// assert!(control.reject_call_with_reason(call, 486, "Busy\r\nX-Evil: 1").wait().is_err());
/// let placed = control.place_call(OutgoingCall::new("sip:bob@192.0.2.10").from("sip:alice@192.0.2.1")).wait()?;
/// control.end_call(placed).wait()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct CallControl {
    pub(crate) sender: CommandSender,
    /// Round-robin over shards for the calls we place.
    pub(crate) next_shard: Arc<AtomicUsize>,
}

impl CallControl {
    /// Queues `cmd` for the shard that owns `call`.
    fn command(&self, call: CallHandle, cmd: Command) -> Pending {
        let (tx, rx) = reply_channel();
        let sent =
            cmd.check().and_then(|()| self.sender.send(usize::from(call.shard()), cmd, Reply::Done(tx)));
        Pending::new(sent.map(|()| rx))
    }

    /// Places a call (UAC role): an INVITE with our SDP offer, as `call`
    /// describes it (target, From, To, extra headers, media mode,
    /// credentials, outbound proxy; each checked now). Events follow:
    /// `Ringing`, `Answered`, `Established` and at last `Terminated`
    /// (`Rejected(code)`, `Cancelled`, `InviteTimeout`...). `end_call`
    /// before the answer sends CANCEL; credentials answer 401/407.
    pub fn place_call(&self, call: OutgoingCall) -> PendingCall {
        let shards = self.sender.shards().max(1);
        // A call a REFER asked for lives beside the referrer's call, whose
        // NOTIFYs report its progress.
        let shard = match call.referrer() {
            Some(h) => usize::from(h.shard()),
            None => self.next_shard.fetch_add(1, Ordering::Relaxed) % shards,
        };
        let (tx, rx) = reply_channel();
        let sent = call
            .destination()
            .and_then(|_| self.sender.send(shard, Command::Place(Arc::new(call)), Reply::Placed(tx)));
        PendingCall::new(sent.map(|()| rx))
    }

    /// Answers a ringing or deferred call (200 OK with our SDP).
    pub fn accept_call(&self, call: CallHandle) -> Pending {
        self.command(call, Command::Answer(call))
    }

    /// Rejects an unanswered call with a final status (300–699; another
    /// is refused with `CommandError::BadStatus`).
    pub fn reject_call(&self, call: CallHandle, code: u16) -> Pending {
        self.command(call, Command::Reject { call, code, reason: None })
    }

    /// The same with a reason phrase of the application's (RFC 3261
    /// `Reason-Phrase` text on one line; CR, LF, NUL or quotes are
    /// refused with `CommandError::BadArgument`).
    pub fn reject_call_with_reason(&self, call: CallHandle, code: u16, reason: &str) -> Pending {
        self.command(call, Command::Reject { call, code, reason: Some(reason.to_owned()) })
    }

    /// Ends a call: BYE once answered, 480 before that (CANCEL for a call
    /// we placed).
    pub fn end_call(&self, call: CallHandle) -> Pending {
        self.command(call, Command::Hangup(call))
    }

    /// Puts the far end on hold (re-INVITE with `a=sendonly`) and plays it
    /// music on hold (the tone) until [`resume_call`](Self::resume_call).
    pub fn hold_call(&self, call: CallHandle) -> Pending {
        self.hold_call_with(call, OnHold::Music)
    }

    /// Puts the far end on hold, sending it music or nothing meanwhile.
    pub fn hold_call_with(&self, call: CallHandle, on_hold: OnHold) -> Pending {
        self.command(call, Command::Hold(call, on_hold))
    }

    /// Takes the far end off hold (re-INVITE with `a=sendrecv`); the
    /// call's media does what it did before.
    pub fn resume_call(&self, call: CallHandle) -> Pending {
        self.command(call, Command::Resume(call))
    }

    /// Plays the tone to the call (replacing echo or silence).
    pub fn play(&self, call: CallHandle) -> Pending {
        self.set_media(call, MediaMode::Play)
    }

    /// Changes what the call's media does: echo, play, sink.
    pub fn set_media(&self, call: CallHandle, mode: MediaMode) -> Pending {
        self.command(call, Command::SetMedia(call, mode))
    }

    /// Sends INFO (RFC 6086) with a body in an answered call, for
    /// example `application/dtmf-relay`; one at a time per call. The
    /// answer arrives as `EventKind::InfoDelivered` (2xx) or
    /// `EventKind::RequestFailed`.
    pub fn send_info(&self, call: CallHandle, content_type: &str, body: impl Into<bytes::Bytes>) -> Pending {
        self.command(call, Command::Info { call, content_type: content_type.to_owned(), body: body.into() })
    }

    /// Blind transfer (RFC 3515, RFC 5589): asks the far end of an
    /// answered call to call `target` (a sip:, sips: or tel: URI).
    /// Progress arrives as `EventKind::Transfer`; when the target
    /// answers, the engine ends this call with BYE (reason `Transferred`).
    pub fn transfer_call(&self, call: CallHandle, target: &str) -> Pending {
        self.command(call, Command::Transfer { call, target: target.to_owned() })
    }

    /// Cross-connects the media of two answered calls: what one caller
    /// sends, the other hears (the basis of a B2BUA).
    pub fn bridge_calls(&self, a: CallHandle, b: CallHandle) -> Pending {
        self.command(a, Command::Bridge { a, b })
    }
}

impl std::fmt::Debug for CallControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallControl").field("shards", &self.sender.shards()).finish()
    }
}
