//! `CallControl`: commands to calls from any thread, routed to the shard
//! that owns the call; each gives a `Pending` outcome to wait on or drop.

use std::time::Duration;

use crossbeam::channel::{Receiver, RecvTimeoutError, bounded};

use super::error::{Error, Result};
use crate::core::{CallHandle, Command, CommandError, OutgoingCall};
use crate::media::MediaMode;
use crate::runtime::{CommandSender, Reply};

/// The outcome of a command, once its shard has applied it.
#[derive(Debug)]
pub struct Pending {
    rx: Result<Receiver<std::result::Result<(), CommandError>>, CommandError>,
}

impl Pending {
    /// Waits for the outcome.
    pub fn wait(self) -> Result<()> {
        let rx = self.rx?;
        // A dropped reply means the shard stopped before applying it.
        rx.recv().map_err(|_| CommandError::Stopped)?.map_err(Error::from)
    }

    /// Waits at most `limit` for the outcome.
    pub fn wait_timeout(self, limit: Duration) -> Result<()> {
        let rx = self.rx?;
        match rx.recv_timeout(limit) {
            Ok(r) => r.map_err(Error::from),
            Err(RecvTimeoutError::Timeout) => Err(Error::Timeout),
            Err(RecvTimeoutError::Disconnected) => Err(CommandError::Stopped.into()),
        }
    }
}

/// Commands for calls. Clone it freely; it is Send + Sync and never
/// blocks: each command is queued for the call's shard.
#[derive(Clone)]
pub struct CallControl {
    pub(crate) sender: CommandSender,
    /// Round-robin over shards for the calls we place.
    pub(crate) next_shard: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// A call being placed: its handle once the shard has sent the INVITE.
#[derive(Debug)]
pub struct PendingCall {
    rx: Result<Receiver<std::result::Result<CallHandle, CommandError>>, CommandError>,
}

impl PendingCall {
    /// Waits for the call's handle (the INVITE is on its way).
    pub fn wait(self) -> Result<CallHandle> {
        let rx = self.rx?;
        rx.recv().map_err(|_| CommandError::Stopped)?.map_err(Error::from)
    }
}

impl CallControl {
    /// Queues `cmd` for the shard that owns `call`.
    fn command(&self, call: CallHandle, cmd: Command) -> Pending {
        let shard = usize::from(call.shard());
        let (tx, rx) = bounded(1);
        let rx = match self.sender.send(shard, cmd, Reply::Done(tx)) {
            Ok(()) => Ok(rx),
            Err(_) if shard >= self.sender.shards() => Err(CommandError::UnknownCall),
            Err(_) => Err(CommandError::Overloaded),
        };
        Pending { rx }
    }

    /// Places a call (UAC role): INVITE with our SDP offer to `target`, a
    /// `sip:` URI naming an IP address and port, From `from`, To `to`
    /// (URIs or name-addrs); `media` is the call's mode once answered
    /// (None: configured). Events follow: `Ringing`, `Answered`,
    /// `Established` and at last `Terminated` (`Rejected(code)`,
    /// `Cancelled`, `InviteTimeout`...). `end_call` before the answer
    /// sends CANCEL; credentials configured answer 401/407 challenges.
    pub fn place_call(&self, target: &str, from: &str, to: &str, media: Option<MediaMode>) -> PendingCall {
        let mut call = OutgoingCall::new(target, from, to);
        call.media = media;
        self.place(call)
    }

    /// The same for a fully described call (for example with an
    /// automatic hang-up after a duration).
    pub fn place(&self, call: OutgoingCall) -> PendingCall {
        let shards = self.sender.shards().max(1);
        let shard = self.next_shard.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % shards;
        let (tx, rx) = bounded(1);
        let rx = match self.sender.send(shard, Command::Place(std::sync::Arc::new(call)), Reply::Placed(tx)) {
            Ok(()) => Ok(rx),
            Err(_) => Err(CommandError::Overloaded),
        };
        PendingCall { rx }
    }

    /// Answers a ringing or deferred call (200 OK with our SDP).
    pub fn accept_call(&self, call: CallHandle) -> Pending {
        self.command(call, Command::Answer(call))
    }

    /// Rejects an unanswered call with a final status (300–699).
    pub fn reject_call(&self, call: CallHandle, code: u16) -> Pending {
        self.command(call, Command::Reject { call, code, reason: None })
    }

    /// The same with a reason phrase of the application's (printable
    /// text on one line).
    pub fn reject_call_with_reason(&self, call: CallHandle, code: u16, reason: &str) -> Pending {
        self.command(call, Command::Reject { call, code, reason: Some(reason.to_owned()) })
    }

    /// Ends a call: BYE once answered, 480 before that.
    pub fn end_call(&self, call: CallHandle) -> Pending {
        self.command(call, Command::Hangup(call))
    }

    /// Puts the far end on hold (re-INVITE with a=sendonly).
    pub fn hold_call(&self, call: CallHandle) -> Pending {
        self.command(call, Command::Hold(call))
    }

    /// Takes the far end off hold (re-INVITE with a=sendrecv).
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
    /// example `application/dtmf-relay`; one at a time per call. A
    /// refusal by the far end arrives as `EventKind::RequestFailed`.
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
