//! Responses to the INVITE of a call we placed (RFC 3261 §13.2.2): a 1xx
//! with a tag is an early dialog; the first 2xx confirms the call and is
//! ACKed (again for each retransmission); a 2xx from another fork is ACKed
//! and ended with BYE; a digest challenge may be answered; any other
//! final response, or none, ends the call.

use bytes::Bytes;

use super::Kept;
use super::step::{CallEvent, Effect, Step};
use super::{Call, CancelState, InDialog, MAX_EARLY_DIALOGS};
use crate::core::CallErrorKind;
use crate::core::offer_answer::SdpAnswer;
use crate::core::reliable::{RAck, reliable_rseq};
use crate::dialog::{CallState, EndReason};
use crate::sip::Message;
use crate::txn::IctState;

/// What to do about a final non-2xx to our INVITE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The call ended.
    Ended,
    /// A challenge: the shard may resend the INVITE with credentials
    /// (`retry_with_credentials`), else the call is rejected (`rejected`).
    Challenged,
}

impl Call {
    /// Our INVITE went out in client transaction (slot, generation).
    pub(crate) fn invite_sent(&mut self, txn: (usize, u32)) {
        if let Some(leg) = self.uac.as_mut() {
            leg.invite_txn = txn;
        }
    }

    /// The ACK we sent for the confirmed 2xx (the first ACK of a call we
    /// placed), for its retransmissions.
    pub(crate) fn ack_sent(&mut self, ack: Bytes) {
        if let Some(leg) = self.uac.as_mut()
            && leg.ack.is_none()
        {
            leg.ack = Some(ack);
        }
    }

    /// A provisional response; `invite` is its transaction's state now.
    pub(crate) fn on_provisional(&mut self, code: u16, msg: &Message, invite: IctState, step: &mut Step) {
        let Some(leg) = self.uac.as_mut() else { return };
        if let Ok(Some(tag)) = msg.to_tag()
            && code > 100
            && leg.early.len() < MAX_EARLY_DIALOGS
            && !leg.early.iter().any(|t| &**t == tag)
        {
            leg.early.push(tag.into());
        }
        // RFC 3262 §4: PRACK each reliable provisional once, in order.
        if let (100..=199, Some(rseq), Ok(Some(tag))) = (code, reliable_rseq(msg), msg.to_tag())
            && code > 100
            && leg.rseqs.accept(tag, rseq)
        {
            let dialog = Box::new(self.dialog.from_uac_response(msg));
            let rack = RAck { rseq, cseq: leg.invite_cseq, method: crate::sip::Method::Invite };
            step.push(Effect::Prack { dialog, rack });
        }
        let ringing = (180..=183).contains(&code);
        let cancel = match leg.cancel {
            CancelState::Wanted => true,
            CancelState::OnRinging => ringing,
            _ => false,
        };
        if ringing && self.state == CallState::Calling {
            self.enter(CallState::Ringing);
            step.event(CallEvent::Ringing);
        }
        if cancel {
            self.cancel(Some(invite), step);
        }
    }

    /// A 2xx. The first confirms the call with the dialog it makes and
    /// what its SDP answer settled (`media`); a retransmission gets our
    /// ACK again; another fork's is ACKed and ended.
    pub(crate) fn on_2xx(&mut self, msg: &Message, media: Option<SdpAnswer>, step: &mut Step) {
        let Some(leg) = self.uac.as_mut() else { return };
        if leg.ack.is_some() {
            let tag = msg.to_tag().ok().flatten().unwrap_or("");
            if tag == self.dialog.remote_tag() {
                // A retransmission: our ACK went missing (§13.2.2.4).
                step.push(Effect::Resend(Kept::Ack));
            } else {
                let dialog = Box::new(self.dialog.from_uac_response(msg));
                let again = leg.released.iter().any(|t| **t == *dialog.remote_tag());
                if !again && leg.released.len() < MAX_EARLY_DIALOGS {
                    leg.released.push(dialog.remote_tag().into());
                }
                step.push(Effect::ReleaseFork { dialog, again });
            }
            return;
        }
        let (seq, cancel) = (leg.invite_cseq, leg.cancel);
        // Our PRACKs took CSeq numbers after the INVITE's: later requests
        // go on from there.
        let local_cseq = self.dialog.local_cseq;
        self.dialog = self.dialog.from_uac_response(msg);
        self.dialog.local_cseq = self.dialog.local_cseq.max(local_cseq);
        self.enter(CallState::Confirmed);
        match &media {
            Some(m) => self.media.settle(m),
            None => {
                if let Some(p) = self.media.local_port.take() {
                    step.push(Effect::ReleasePort(p));
                }
            }
        }
        step.request(InDialog::Ack(seq));
        step.push(Effect::Answered { setup: step.now.saturating_duration_since(self.started) });
        if media.is_some() {
            self.media.open(step);
        }
        step.event(CallEvent::Answered);
        step.event(CallEvent::Established);
        if matches!(cancel, CancelState::Wanted | CancelState::Sent) {
            // Our CANCEL crossed the answer: end the call we did not want.
            return self.hang_up(EndReason::Cancelled, step);
        }
        self.hang_up_when_due(step);
    }

    /// A final non-2xx.
    pub(crate) fn on_refused(&mut self, code: u16, step: &mut Step) -> Refusal {
        let Some(leg) = self.uac.as_ref() else { return Refusal::Ended };
        if code == 487 && leg.cancelling() {
            step.end(EndReason::Cancelled);
            return Refusal::Ended;
        }
        if matches!(code, 401 | 407) && leg.auth_tries < 2 {
            return Refusal::Challenged;
        }
        step.end(EndReason::Rejected(code));
        Refusal::Ended
    }

    /// A challenge the shard can answer: the CSeq of the INVITE to send
    /// with credentials, or None when the same credentials failed already
    /// (a second try only for a stale nonce).
    pub(crate) fn retry_with_credentials(&mut self, stale: bool) -> Option<u32> {
        let leg = self.uac.as_mut()?;
        if leg.auth_tries > 0 && !stale {
            return None;
        }
        leg.auth_tries += 1;
        leg.invite_cseq += 1;
        Some(leg.invite_cseq)
    }

    /// A challenge left unanswered ends the call as rejected.
    pub(crate) fn rejected(&mut self, code: u16, step: &mut Step) {
        step.end(EndReason::Rejected(code));
    }

    /// No final response before Timer B: cancelled if we asked, else a
    /// timeout.
    pub(crate) fn on_invite_timeout(&mut self, step: &mut Step) {
        let cancelled = self.uac.as_ref().is_some_and(|l| l.cancelling());
        if !cancelled {
            step.error(CallErrorKind::Timeout, || "no final response to INVITE (Timer B)".to_owned());
        }
        step.end(if cancelled { EndReason::Cancelled } else { EndReason::InviteTimeout });
    }
}
