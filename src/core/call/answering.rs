//! Answering an INVITE (UAS role): carrying out the handler's decision
//! (ring and answer on timers, reject, redirect, defer), our 200 resent
//! until its ACK (RFC 3261 §13.3.1.4), and CANCEL before the answer
//! (§9.2).

use super::Kept;
use super::step::{CallEvent, Custom, Effect, Step, With};
use super::{Call, CallTimer, Reinvite};
use crate::core::{Accept, Decision};
use crate::dialog::{CallState, EndReason};

impl Call {
    /// Carries out the handler's decision on a new call.
    pub(crate) fn decide(&mut self, decision: Decision, step: &mut Step) {
        match decision {
            Decision::Reject(r) => {
                let (code, reason) = r.into_parts();
                self.reject(code, reason, None, step)
            }
            Decision::Redirect(r) => {
                let (code, contact) = r.into_parts();
                self.reject(code, None, Some(contact), step);
            }
            Decision::Defer => {
                if let Some(txn) = self.invite_txn {
                    step.respond(txn, 100, With::default());
                }
                step.arm(CallTimer::Hangup, step.defer_timeout);
            }
            Decision::Accept(Accept { ring, answer_after, hang_up_after, media, early_media }) => {
                self.hangup_after = hang_up_after;
                self.media.mode = media;
                // Early media needs an offer to answer in the 183.
                let early = early_media && !self.media.late_offer;
                // RFC 3261 §17.2.1: 100 Trying only when no other response
                // goes out at once (a 180, 183 or the final does its job).
                let ringing = ring.is_some() || early;
                if let (false, false, Some(txn)) = (ringing, answer_after.is_zero(), self.invite_txn) {
                    step.respond(txn, 100, With::default());
                }
                if early {
                    self.early_media(step);
                } else if ring.is_some() {
                    self.ring(step);
                }
                let delay = ring.unwrap_or_default() + answer_after;
                if delay.is_zero() {
                    self.answer(step);
                } else {
                    step.arm(CallTimer::Answer, delay);
                }
            }
        }
    }

    fn ring(&mut self, step: &mut Step) {
        if self.invite_txn.is_none() {
            return;
        }
        self.enter(CallState::Ringing);
        self.provisional(180, None, step);
        step.event(CallEvent::Ringing);
    }

    /// Sends the 200 with our SDP answer (none when a reliable 183 gave
    /// it); resent until the ACK. It waits for the PRACK of a reliable
    /// provisional still unacknowledged (RFC 3262 §3).
    pub(crate) fn answer(&mut self, step: &mut Step) {
        if self.invite_txn.is_none() || self.answer_waits_for_prack() {
            return;
        }
        let Some(txn) = self.invite_txn.take() else { return };
        self.enter(CallState::Answered);
        let sdp = self.media.sdp_answer.take();
        let session = self.session_header();
        let with = With {
            tag: true,
            dialog: true,
            allow: true,
            sdp,
            keep: true,
            answers: true,
            session,
            ..With::default()
        };
        step.respond(txn, 200, with);
        self.resend_2xx_until_acked(step);
        if !self.media.open {
            self.media.open(step);
        }
        step.event(CallEvent::Answered);
    }

    /// RFC 3261 §13.3.1.4: the TU resends its 2xx from T1 doubling to T2
    /// until the ACK, and gives up after 64·T1.
    pub(super) fn resend_2xx_until_acked(&mut self, step: &mut Step) {
        self.ok_interval = step.timers.t1;
        step.arm(CallTimer::Retransmit2xx, step.timers.t1);
        step.arm(CallTimer::AckTimeout, step.timers.t1x64());
    }

    /// Our 2xx again (the retransmission timer fired).
    pub(super) fn resend_2xx(&mut self, step: &mut Step) {
        if self.ok.is_none() {
            return;
        }
        self.ok_interval = (self.ok_interval * 2).min(step.timers.t2);
        step.push(Effect::Resend(Kept::Ok2xx));
        step.arm(CallTimer::Retransmit2xx, self.ok_interval);
    }

    /// Rejects (or, with `contact`, redirects) a call not answered yet.
    pub(crate) fn reject(
        &mut self,
        code: u16,
        reason: Option<String>,
        contact: Option<String>,
        step: &mut Step,
    ) {
        let Some(txn) = self.invite_txn.take() else { return };
        let custom =
            (reason.is_some() || contact.is_some()).then(|| Box::new(Custom { reason, redirect: contact }));
        step.respond(txn, code, With { tag: true, custom, ..With::default() });
        step.end(EndReason::Rejected(code));
    }

    /// An ACK with CSeq `seq` in the dialog: it confirms the call (or our
    /// answer to a re-INVITE) and stops retransmission. False when it
    /// acknowledges nothing pending (a retransmission, a late ACK).
    pub(crate) fn on_ack(&mut self, seq: u32, step: &mut Step) -> bool {
        if self.ok.as_ref().is_none_or(|ok| ok.cseq != seq) {
            return false;
        }
        self.ok = None;
        let t = &mut self.timers;
        step.disarm([t.take(CallTimer::Retransmit2xx), t.take(CallTimer::AckTimeout), None]);
        if self.reinvite == Some(Reinvite::Incoming) {
            self.reinvite = None;
            return true;
        }
        self.enter(CallState::Confirmed);
        step.event(CallEvent::Established);
        self.session_start(step);
        self.hang_up_when_due(step);
        true
    }

    /// The call is up: hang up now or later as configured.
    pub(super) fn hang_up_when_due(&mut self, step: &mut Step) {
        match self.hangup_after {
            Some(after) if after.is_zero() => self.hang_up(EndReason::LocalBye, step),
            Some(after) => step.arm(CallTimer::Hangup, after),
            None => {}
        }
    }

    /// CANCEL of our pending INVITE `txn` (a final response went out
    /// already: nothing to do, §9.2).
    pub(crate) fn on_cancel(&mut self, txn: usize, step: &mut Step) {
        if self.invite_txn != Some(txn) {
            return;
        }
        self.invite_txn = None;
        step.respond(txn, 487, With { tag: true, ..With::default() });
        step.end(EndReason::Cancelled);
    }
}
