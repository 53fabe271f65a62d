//! `CallControl`: commands to calls from any thread, routed to the shard
//! that owns the call; each gives a `Pending` outcome to wait on or drop.

use std::time::Duration;

use crossbeam::channel::{Receiver, RecvTimeoutError, bounded};

use super::error::{Error, Result};
use crate::core::{CallId, Command, CommandError};
use crate::media::MediaMode;
use crate::runtime::{Control, ControlSender};

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
    pub(crate) sender: ControlSender,
    /// Round-robin over shards for the calls we place.
    pub(crate) next_shard: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// A call being placed: its id once the shard has sent the INVITE.
#[derive(Debug)]
pub struct PendingCall {
    rx: Result<Receiver<std::result::Result<CallId, CommandError>>, CommandError>,
}

impl PendingCall {
    /// Waits for the call's id (the INVITE is on its way).
    pub fn wait(self) -> Result<CallId> {
        let rx = self.rx?;
        rx.recv().map_err(|_| CommandError::Stopped)?.map_err(Error::from)
    }
}

impl CallControl {
    fn send(&self, shard: u16, make: impl FnOnce(crate::runtime::Reply) -> Control) -> Pending {
        let (tx, rx) = bounded(1);
        let rx = match self.sender.send(usize::from(shard), make(Some(tx))) {
            Ok(()) => Ok(rx),
            Err(_) if usize::from(shard) >= self.sender.shards() => Err(CommandError::UnknownCall),
            Err(_) => Err(CommandError::Overloaded),
        };
        Pending { rx }
    }

    fn command(&self, call: CallId, cmd: Command) -> Pending {
        self.send(call.shard, |reply| Control::Call(cmd, reply))
    }

    /// Places a call (UAC role): INVITE with our SDP offer to `target`, a
    /// `sip:` URI naming an IP address and port, From `from`, To `to`
    /// (URIs or name-addrs); `media` is the call's mode once answered
    /// (None: configured). Events follow: `Ringing`, `Answered`,
    /// `Established` and at last `Terminated` (`Rejected(code)`,
    /// `Cancelled`, `InviteTimeout`...). `end_call` before the answer
    /// sends CANCEL; credentials configured answer 401/407 challenges.
    pub fn place_call(&self, target: &str, from: &str, to: &str, media: Option<MediaMode>) -> PendingCall {
        let mut call = crate::core::OutgoingCall::new(target, from, to);
        call.media = media;
        self.place(call)
    }

    /// The same for a fully described call (for example with an
    /// automatic hang-up after a duration).
    pub fn place(&self, call: crate::core::OutgoingCall) -> PendingCall {
        let shards = self.sender.shards().max(1);
        let shard = self.next_shard.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % shards;
        let (tx, rx) = bounded(1);
        let rx = match self.sender.send(shard, Control::Place { call: Box::new(call), reply: tx }) {
            Ok(()) => Ok(rx),
            Err(_) => Err(CommandError::Overloaded),
        };
        PendingCall { rx }
    }

    /// Answers a ringing or deferred call (200 OK with our SDP).
    pub fn accept_call(&self, call: CallId) -> Pending {
        self.command(call, Command::Answer(call.handle))
    }

    /// Rejects an unanswered call with a final status (300–699).
    pub fn reject_call(&self, call: CallId, code: u16) -> Pending {
        self.command(call, Command::Reject(call.handle, code))
    }

    /// Ends a call: BYE once answered, 480 before that.
    pub fn end_call(&self, call: CallId) -> Pending {
        self.command(call, Command::Hangup(call.handle))
    }

    /// Puts the far end on hold (re-INVITE with a=sendonly).
    pub fn hold_call(&self, call: CallId) -> Pending {
        self.command(call, Command::Hold(call.handle))
    }

    /// Takes the far end off hold (re-INVITE with a=sendrecv).
    pub fn resume_call(&self, call: CallId) -> Pending {
        self.command(call, Command::Resume(call.handle))
    }

    /// Plays the tone to the call (replacing echo or silence).
    pub fn play(&self, call: CallId) -> Pending {
        self.set_media(call, MediaMode::Play)
    }

    /// Changes what the call's media does: echo, play, sink.
    pub fn set_media(&self, call: CallId, mode: MediaMode) -> Pending {
        self.command(call, Command::SetMedia(call.handle, mode))
    }

    /// Sends INFO (RFC 6086) with a body in an answered call, for
    /// example `application/dtmf-relay`; one at a time per call. A
    /// refusal by the far end arrives as `EventKind::RequestFailed`.
    pub fn send_info(&self, call: CallId, content_type: &str, body: impl Into<bytes::Bytes>) -> Pending {
        let (content_type, body) = (content_type.to_owned(), body.into());
        self.send(call.shard, |reply| Control::Info { call: call.handle, content_type, body, reply })
    }

    /// Blind transfer (RFC 3515, RFC 5589): asks the far end of an
    /// answered call to call `target` (a sip:, sips: or tel: URI).
    /// Progress arrives as `EventKind::Transfer`; when the target
    /// answers, the engine ends this call with BYE (reason `Transferred`).
    pub fn transfer_call(&self, call: CallId, target: &str) -> Pending {
        let target = target.to_owned();
        self.send(call.shard, |reply| Control::Transfer { call: call.handle, target, reply })
    }

    /// Cross-connects the media of two answered calls: what one caller
    /// sends, the other hears (the basis of a B2BUA).
    pub fn bridge_calls(&self, a: CallId, b: CallId) -> Pending {
        self.send(a.shard, |reply| Control::Bridge { a: a.handle, b, reply })
    }
}
