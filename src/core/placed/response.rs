//! The answers to our INVITE, handed to the call: a provisional, a 2xx
//! (with what its SDP answer settled), a refusal (perhaps a challenge we
//! answer), or none (Timer B).

use crate::core::call::Refusal;
use crate::core::{Outbox, ShardCore};
use crate::sip::Message;
use crate::txn::{ClientOutcome, IctState};

impl ShardCore {
    pub(crate) fn on_placed_invite_outcome(
        &mut self,
        call: usize,
        outcome: ClientOutcome,
        msg: Option<&Message>,
        out: &mut Outbox,
    ) {
        let Some(c) = self.calls.get_mut(call) else { return };
        match (outcome, msg) {
            (ClientOutcome::Provisional(code), Some(m)) => {
                c.on_provisional(code, m, IctState::Proceeding, &mut self.step)
            }
            (ClientOutcome::Final(200..=299), Some(m)) => {
                let media = c.local_port().and_then(|p| self.sdp.read_answer(m, p, c.offered()));
                let unkeyed = media.is_none() && !c.offered().is_empty();
                c.on_2xx(m, media, &mut self.step);
                if unkeyed {
                    c.answer_unkeyed(&mut self.step);
                }
            }
            (ClientOutcome::Final(code), Some(m)) => {
                if c.on_refused(code, &mut self.step) == Refusal::Challenged
                    && !self.answer_challenge(call, code, m, out)
                    && let Some(c) = self.calls.get_mut(call)
                {
                    c.rejected(code, &mut self.step);
                }
            }
            _ => c.on_invite_timeout(&mut self.step),
        }
        self.run_effects(call, out);
    }
}
