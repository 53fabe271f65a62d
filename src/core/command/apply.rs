//! Applying a command on the shard that owns its call: arguments checked
//! first (`Command::check`), then the call decides (`Call::on_command`); shutdown, placing
//! and bridging are the shard's own.

use std::time::Instant;

use super::{Applied, Command, CommandError};
use crate::core::call::CallCommand;
use crate::core::{CallHandle, Outbox, ShardCore};
use crate::dialog::EndReason;

impl ShardCore {
    /// Applies a command.
    pub fn on_command(
        &mut self,
        now: Instant,
        cmd: Command,
        out: &mut Outbox,
    ) -> Result<Applied, CommandError> {
        let before = out.transmits.len();
        self.step.now = now;
        let r = self.apply(now, cmd, out);
        self.stats.count_out(&out.transmits[before..]);
        r
    }

    fn apply(&mut self, now: Instant, cmd: Command, out: &mut Outbox) -> Result<Applied, CommandError> {
        // A call to place is checked as it is placed.
        if !matches!(cmd, Command::Place(_)) {
            cmd.check()?;
        }
        let (call, cmd) = match cmd {
            Command::Shutdown | Command::Abandon => {
                self.admission.stopping = true;
                for slot in self.calls.slots() {
                    match cmd {
                        Command::Shutdown => self.shut_down_call(slot, out),
                        _ => self.end_call(slot, EndReason::Shutdown, out),
                    }
                }
                return Ok(Applied::Done);
            }
            Command::Place(call) => return self.place(now, call, out).map(Applied::Placed),
            Command::Bridge { a, b } => return self.bridge(a, b),
            Command::BridgeTo { b, port_a } => {
                let slot = self.live(b)?;
                let c = self.calls.get(slot).ok_or(CommandError::UnknownCall)?;
                c.bridge_to(port_a, &mut self.step)?;
                self.run_effects(slot, out);
                return Ok(Applied::Done);
            }
            Command::Answer(call) => (call, CallCommand::Answer),
            Command::Reject { call, code, reason } => (call, CallCommand::Reject { code, reason }),
            Command::Hangup(call) => (call, CallCommand::Hangup),
            Command::Hold(call, on_hold) => (call, CallCommand::Hold(on_hold)),
            Command::Resume(call) => (call, CallCommand::Resume),
            Command::SetMedia(call, mode) => (call, CallCommand::SetMedia(mode)),
            Command::Info { call, content_type, body } => (call, CallCommand::Info { content_type, body }),
            Command::Transfer { call, target } => (call, CallCommand::Transfer { target }),
            Command::MediaTimeout { call, hangup } => (call, CallCommand::MediaTimeout { hangup }),
        };
        let slot = self.live(call)?;
        let invite = self.placed_invite_state(slot);
        let c = self.calls.get_mut(slot).ok_or(CommandError::UnknownCall)?;
        let r = c.on_command(cmd, invite, &mut self.step);
        self.run_effects(slot, out);
        r.map(|()| Applied::Done)
    }

    /// The slot of a live call of this shard.
    fn live(&self, h: CallHandle) -> Result<usize, CommandError> {
        self.calls.live(self.cfg.shard, h).ok_or(CommandError::UnknownCall)
    }

    /// First half of a bridge: `a`'s stream port goes to `b`'s shard
    /// (which may be this one), where `BridgeTo` completes it.
    fn bridge(&mut self, a: CallHandle, b: CallHandle) -> Result<Applied, CommandError> {
        let slot = self.live(a)?;
        let port_a = self.calls.get(slot).ok_or(CommandError::UnknownCall)?.media_port()?;
        if self.ports.named() {
            return Err(CommandError::NoMedia);
        }
        Ok(Applied::Forward { shard: b.shard, command: Command::BridgeTo { b, port_a } })
    }

    /// Shutdown of one call: unanswered calls get 503 (ours are
    /// cancelled), answered ones a BYE.
    fn shut_down_call(&mut self, slot: usize, out: &mut Outbox) {
        let invite = self.placed_invite_state(slot);
        if let Some(c) = self.calls.get_mut(slot) {
            c.shut_down(invite, &mut self.step);
            self.run_effects(slot, out);
        }
    }
}
