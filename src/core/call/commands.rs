//! What the application asks of one call: answer, reject, hang up, hold,
//! resume, change its media, send INFO, transfer, and what shutdown and a
//! media timeout do to it. Each either changes the call or says why not.

use bytes::Bytes;

use super::step::{CallEvent, MediaOp, Step};
use super::{Call, CancelState, InDialog};
use crate::core::{CommandError, OnHold};
use crate::dialog::{CallState, EndReason};
use crate::media::MediaMode;
use crate::txn::IctState;

/// A command for one call, its arguments checked by the shard.
#[derive(Debug)]
pub(crate) enum CallCommand {
    Answer,
    Reject { code: u16, reason: Option<String> },
    Hangup,
    Hold(OnHold),
    Resume,
    SetMedia(MediaMode),
    Info { content_type: String, body: Bytes },
    Transfer { target: String },
    MediaTimeout { hangup: bool },
}

impl Call {
    /// Applies an application command; `invite` is the state of our
    /// INVITE's transaction for a call we placed (CANCEL needs a
    /// provisional first).
    pub(crate) fn on_command(
        &mut self,
        cmd: CallCommand,
        invite: Option<IctState>,
        step: &mut Step,
    ) -> Result<(), CommandError> {
        let state = self.state;
        let placed = self.uac.is_some();
        let unanswered = matches!(state, CallState::Calling | CallState::Incoming | CallState::Ringing);
        match cmd {
            CallCommand::SetMedia(mode) => return self.set_media(mode, step),
            CallCommand::MediaTimeout { hangup } => {
                step.event(CallEvent::MediaTimeout);
                if hangup && state == CallState::Confirmed {
                    self.hang_up(EndReason::MediaTimeout, step);
                }
            }
            CallCommand::Info { content_type, body } => {
                self.confirmed()?;
                if self.requests.info.is_some() {
                    return Err(CommandError::Pending);
                }
                step.request(InDialog::Info { content_type, body });
            }
            CallCommand::Transfer { target } => {
                self.confirmed()?;
                if self.transfer != super::transfer::OurRefer::No {
                    return Err(CommandError::Pending);
                }
                self.refer_sent();
                step.request(InDialog::Refer { target });
            }
            // Calls we placed: hanging up before the answer is CANCEL.
            CallCommand::Hangup if placed && unanswered => self.cancel(invite, step),
            CallCommand::Answer | CallCommand::Reject { .. } if placed => {
                return Err(CommandError::InvalidState(state));
            }
            CallCommand::Answer if unanswered => self.answer(step),
            CallCommand::Reject { code, reason } if unanswered && (300..700).contains(&code) => {
                self.reject(code, reason, None, step)
            }
            CallCommand::Hangup if unanswered => self.reject(480, None, None, step),
            // RFC 3261 §15: no BYE before the ACK; hang up when it comes.
            CallCommand::Hangup if state == CallState::Answered => {
                self.hangup_after = Some(std::time::Duration::ZERO);
            }
            CallCommand::Hangup if state != CallState::Terminating => self.hang_up(EndReason::LocalBye, step),
            CallCommand::Hold(_) | CallCommand::Resume if state == CallState::Confirmed => {
                if self.reinvite.is_some() {
                    return Err(CommandError::Pending);
                }
                if let CallCommand::Hold(on_hold) = cmd {
                    self.media.next_hold_music = on_hold == OnHold::Music;
                }
                step.request(InDialog::Reinvite { hold: matches!(cmd, CallCommand::Hold(_)) });
            }
            _ => return Err(CommandError::InvalidState(state)),
        }
        Ok(())
    }

    fn confirmed(&self) -> Result<(), CommandError> {
        match self.state {
            CallState::Confirmed => Ok(()),
            s => Err(CommandError::InvalidState(s)),
        }
    }

    fn set_media(&mut self, mode: MediaMode, step: &mut Step) -> Result<(), CommandError> {
        if self.state == CallState::Terminating {
            return Err(CommandError::InvalidState(self.state));
        }
        self.media.mode = Some(mode);
        match (self.media.open, self.media.local_port) {
            (true, Some(local_port)) => step.media(MediaOp::Mode { local_port, mode }),
            (true, None) => return Err(CommandError::NoMedia),
            _ => {}
        }
        Ok(())
    }

    /// The call's RTP port while its media runs (to bridge it).
    pub(crate) fn media_port(&self) -> Result<u16, CommandError> {
        match self.media.running_port() {
            Some(p) => Ok(p),
            None if matches!(self.state, CallState::Calling | CallState::Incoming | CallState::Ringing) => {
                Err(CommandError::InvalidState(self.state))
            }
            None => Err(CommandError::NoMedia),
        }
    }

    /// Completes a bridge: this call's stream and the one on `other_port`
    /// hear each other.
    pub(crate) fn bridge_to(&self, other_port: u16, step: &mut Step) -> Result<(), CommandError> {
        let local_port = self.media_port()?;
        if local_port == other_port {
            return Err(CommandError::SameCall);
        }
        step.media(MediaOp::Bridge { local_port, other_port });
        Ok(())
    }

    /// Shutdown: unanswered calls get 503 (ours are cancelled), answered
    /// ones a BYE.
    pub(crate) fn shut_down(&mut self, invite: Option<IctState>, step: &mut Step) {
        match self.state {
            CallState::Calling | CallState::Ringing if self.uac.is_some() => self.cancel(invite, step),
            CallState::Calling | CallState::Incoming | CallState::Ringing => {
                self.reject(503, None, None, step)
            }
            CallState::Answered | CallState::Confirmed => self.hang_up(EndReason::Shutdown, step),
            CallState::Terminating | CallState::Terminated => {}
        }
    }

    /// Cancels a call we placed (RFC 3261 §9.1): CANCEL once a provisional
    /// has arrived (our INVITE's transaction is Proceeding), else as soon
    /// as one does.
    pub(crate) fn cancel(&mut self, invite: Option<IctState>, step: &mut Step) {
        let Some(leg) = self.uac.as_mut() else { return };
        let Some(invite) = invite else { return };
        if leg.cancel == CancelState::Sent {
            return;
        }
        if invite != IctState::Proceeding {
            leg.cancel = CancelState::Wanted;
            return;
        }
        leg.cancel = CancelState::Sent;
        step.push(super::Effect::Cancel);
    }
}
