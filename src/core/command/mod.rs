//! Everything the application (or the runtime on its behalf) can ask of a
//! shard, as one `Command` through `ShardCore::on_command`.

mod apply;
mod check;
pub(crate) mod text;

use std::sync::Arc;

use bytes::Bytes;

pub use check::MAX_INFO_BODY;

use crate::core::{CallHandle, OutgoingCall};
use crate::dialog::CallState;
use crate::media::MediaMode;

/// What our side sends while we hold a call (our re-INVITE offered
/// `sendonly`: the peer only listens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum OnHold {
    /// Music on hold: the stream plays the tone (the `play` source)
    /// until the call is resumed, whatever its mode; a bridged call's
    /// partner is not heard meanwhile. A peer whose answer is `inactive`
    /// (it will not listen, RFC 3264 §6.1) gets nothing.
    #[default]
    Music,
    /// Nothing: the stream stops sending until the call is resumed.
    Silence,
}

/// What the application can ask of a call (or of the shard). Every
/// string and status in it is checked before anything reaches the wire
/// ([`Command::check`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// Answer a call that has not been answered yet (200 OK).
    Answer(CallHandle),
    /// Reject an unanswered call with a final status (300–699) and a
    /// reason phrase (None: the standard one); anything else is refused
    /// with `CommandError::BadStatus` / `BadArgument`.
    Reject {
        /// The call.
        call: CallHandle,
        /// The final status.
        code: u16,
        /// The reason phrase (RFC 3261 `Reason-Phrase`: text on one line).
        reason: Option<String>,
    },
    /// Hang up: BYE when answered, a rejection (480) before that; for a
    /// call we placed, CANCEL before the answer.
    Hangup(CallHandle),
    /// Put the peer on hold (re-INVITE, sendonly); what we send
    /// meanwhile.
    Hold(CallHandle, OnHold),
    /// Resume a held call (re-INVITE, sendrecv).
    Resume(CallHandle),
    /// Change what the call's media does (echo, play a tone, sink); an
    /// unanswered call starts its media that way.
    SetMedia(CallHandle, MediaMode),
    /// Send INFO (RFC 6086) with this body in an answered call.
    Info {
        /// The call.
        call: CallHandle,
        /// The body's media type (`type/subtype`, parameters allowed).
        content_type: String,
        /// The body (at most `MAX_INFO_BODY` bytes).
        body: Bytes,
    },
    /// Ask the peer of an answered call to call `target` (REFER).
    Transfer {
        /// The call.
        call: CallHandle,
        /// A sip:, sips: or tel: URI.
        target: String,
    },
    /// Place a call from this shard (UAC role).
    Place(Arc<OutgoingCall>),
    /// Cross-connect the media of two answered calls. The shard that owns
    /// `a` forwards the rest to `b`'s shard (`Applied::Forward`).
    Bridge {
        /// A call on this shard.
        a: CallHandle,
        /// The other call.
        b: CallHandle,
    },
    /// The second half of a bridge, on `b`'s shard: `a`'s stream runs on
    /// `port_a`.
    BridgeTo {
        /// A call on this shard.
        b: CallHandle,
        /// The first call's RTP port.
        port_a: u16,
    },
    /// The media layer heard no RTP for its timeout: tell the
    /// application and, when `hangup` is set, end the call with a BYE.
    MediaTimeout {
        /// The call.
        call: CallHandle,
        /// Hang up.
        hangup: bool,
    },
    /// Stop taking calls (503) and end every active one.
    Shutdown,
    /// The shutdown deadline passed: end every remaining call now, counted
    /// as ended by shutdown (no call disappears uncounted).
    Abandon,
}

/// What became of a command the shard accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Applied {
    /// Done (its effects are in the outbox).
    Done,
    /// A call was placed: its handle.
    Placed(CallHandle),
    /// Half done: the runtime moves `command` (with whoever waits for the
    /// outcome) to `shard`, which completes it.
    Forward {
        /// The shard that completes it.
        shard: u16,
        /// What it is to do.
        command: Command,
    },
}

/// Why a command could not be applied (or a decision or status made).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// No such call (never existed or already ended).
    #[error("unknown or ended call")]
    UnknownCall,
    /// The call is not in a state where this makes sense.
    #[error("command not valid in call state {0:?}")]
    InvalidState(CallState),
    /// Another offer/answer exchange is in progress.
    #[error("a re-INVITE is already in progress")]
    Pending,
    /// The call has no media stream (no SDP, or media is off).
    #[error("the call has no media stream")]
    NoMedia,
    /// A call cannot be bridged with itself.
    #[error("a call cannot be bridged with itself")]
    SameCall,
    /// The owning shard's command queue is full: try again later.
    #[error("the engine is overloaded (command queue full)")]
    Overloaded,
    /// An argument was refused: a malformed URI, content type, header or
    /// reason phrase (text that could inject a header never passes).
    #[error("invalid argument: {0}")]
    BadArgument(&'static str),
    /// A status code outside 100–699, or of the wrong class for what it
    /// is for (a rejection is 300–699, a redirection 300–399, an answer
    /// to a request 200–699).
    #[error("status {0} is not valid here")]
    BadStatus(u16),
    /// The engine has stopped: nobody will apply the command.
    #[error("the engine has stopped")]
    Stopped,
}
