//! Commands from the application or the runtime, applied on the shard
//! that owns the call.

use std::time::Instant;

use super::uac::InDialog;
use super::{EventKind, MediaCommand, Outbox, ShardCore};
use crate::dialog::{CallHandle, CallState, EndReason};
use crate::media::MediaMode;

/// What the application can ask of a call (or of the shard).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Answer a call that has not been answered yet (200 OK).
    Answer(CallHandle),
    /// Reject an unanswered call with a final status.
    Reject(CallHandle, u16),
    /// Hang up: BYE when answered, a rejection (480) before that.
    Hangup(CallHandle),
    /// Put the peer on hold (re-INVITE, sendonly).
    Hold(CallHandle),
    /// Resume a held call (re-INVITE, sendrecv).
    Resume(CallHandle),
    /// Change what the call's media does (echo, play a tone, sink); an
    /// unanswered call starts its media that way.
    SetMedia(CallHandle, crate::media::MediaMode),
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

/// Why a command could not be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
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
    /// An argument was refused (a malformed URI or content type).
    #[error("invalid argument: {0}")]
    BadArgument(&'static str),
    /// The engine has stopped: nobody will apply the command.
    #[error("the engine has stopped")]
    Stopped,
}

impl ShardCore {
    /// Applies a command.
    pub fn on_command(&mut self, now: Instant, cmd: Command, out: &mut Outbox) -> Result<(), CommandError> {
        let before = out.datagrams.len();
        let r = self.apply(now, cmd, out);
        self.count_out(out, before);
        r
    }

    fn apply(&mut self, now: Instant, cmd: Command, out: &mut Outbox) -> Result<(), CommandError> {
        if cmd == Command::Shutdown {
            self.accepting = false;
            for slot in self.calls.slots() {
                self.end_for_shutdown(now, slot, out);
            }
            return Ok(());
        }
        if cmd == Command::Abandon {
            self.accepting = false;
            for slot in self.calls.slots() {
                self.end_call(slot, EndReason::Shutdown, now, out);
            }
            return Ok(());
        }
        if let Command::SetMedia(call, mode) = cmd {
            return self.set_media(call, mode, out);
        }
        if let Command::MediaTimeout { call, hangup } = cmd {
            let c = self.calls.live(call).ok_or(CommandError::UnknownCall)?;
            let (slot, state) = (call.slot as usize, c.state);
            self.emit(slot, EventKind::MediaTimeout, out);
            if hangup && state == CallState::Confirmed {
                self.hang_up(now, slot, EndReason::MediaTimeout, out);
            }
            return Ok(());
        }
        let (Command::Answer(h)
        | Command::Reject(h, _)
        | Command::Hangup(h)
        | Command::Hold(h)
        | Command::Resume(h)) = cmd
        else {
            return Ok(());
        };
        let c = self.calls.live(h).ok_or(CommandError::UnknownCall)?;
        let (state, slot, pending) = (c.state, h.slot as usize, c.reinvite.is_some());
        let placed = c.uac.is_some();
        let unanswered = matches!(state, CallState::Calling | CallState::Incoming | CallState::Ringing);
        match cmd {
            // Calls we placed: hanging up before the answer is CANCEL.
            Command::Hangup(_) if placed && unanswered => self.cancel_placed_call(now, slot, out),
            Command::Answer(_) | Command::Reject(..) if placed => {
                return Err(CommandError::InvalidState(state));
            }
            Command::Answer(_) if unanswered => self.answer_call(now, slot, out),
            Command::Reject(_, code) if unanswered && (300..700).contains(&code) => {
                self.reject_call(now, slot, code, out)
            }
            Command::Hangup(_) if unanswered => self.reject_call(now, slot, 480, out),
            // RFC 3261 §15: no BYE before the ACK; hang up when it comes.
            Command::Hangup(_) if state == CallState::Answered => {
                if let Some(c) = self.calls.get_mut(slot) {
                    c.hangup_after = Some(std::time::Duration::ZERO);
                }
            }
            Command::Hangup(_) if state != CallState::Terminating => {
                self.hang_up(now, slot, EndReason::LocalBye, out)
            }
            Command::Hold(_) | Command::Resume(_) if state == CallState::Confirmed => {
                if pending {
                    return Err(CommandError::Pending);
                }
                let hold = matches!(cmd, Command::Hold(_));
                self.send_in_dialog(now, slot, InDialog::Reinvite { hold }, out);
            }
            _ => return Err(CommandError::InvalidState(state)),
        }
        Ok(())
    }

    fn set_media(&mut self, h: CallHandle, mode: MediaMode, out: &mut Outbox) -> Result<(), CommandError> {
        let c = self.calls.live_mut(h).ok_or(CommandError::UnknownCall)?;
        if c.state == CallState::Terminating {
            return Err(CommandError::InvalidState(c.state));
        }
        c.media_mode = Some(mode);
        match (c.media_open, c.local_port) {
            (true, Some(local_port)) => out.media.push(MediaCommand::Mode { call: h, local_port, mode }),
            (true, None) => return Err(CommandError::NoMedia),
            _ => {}
        }
        Ok(())
    }

    /// The call's RTP port while its media runs (for bridging).
    pub fn media_port(&self, h: CallHandle) -> Result<u16, CommandError> {
        let c = self.calls.live(h).ok_or(CommandError::UnknownCall)?;
        match (c.media_open, c.local_port) {
            (true, Some(p)) => Ok(p),
            _ if matches!(c.state, CallState::Calling | CallState::Incoming | CallState::Ringing) => {
                Err(CommandError::InvalidState(c.state))
            }
            _ => Err(CommandError::NoMedia),
        }
    }

    /// Shutdown: unanswered calls get 503, answered ones a BYE.
    fn end_for_shutdown(&mut self, now: Instant, slot: usize, out: &mut Outbox) {
        let Some(c) = self.calls.get(slot) else { return };
        match c.state {
            CallState::Calling | CallState::Ringing if c.uac.is_some() => {
                self.cancel_placed_call(now, slot, out)
            }
            CallState::Calling | CallState::Incoming | CallState::Ringing => {
                self.reject_call(now, slot, 503, out);
            }
            CallState::Answered | CallState::Confirmed => self.hang_up(now, slot, EndReason::Shutdown, out),
            CallState::Terminating | CallState::Terminated => {}
        }
    }
}
