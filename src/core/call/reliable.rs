//! Reliable provisional responses as UAS (RFC 3262 §3): our 180 or 183
//! goes with `Require: 100rel` and an RSeq when the caller supports it,
//! resent from T1 doubling until its PRACK; our 2xx waits for that PRACK;
//! none within 64·T1 rejects the INVITE with a 5xx. Early media: a 183
//! carrying our SDP answer, the stream open before the answer.

use bytes::Bytes;

use super::step::{CallEvent, Effect, Step, With};
use super::{Call, CallTimer, Kept};
use crate::core::CallErrorKind;
use crate::core::reliable::{PrackMatch, RAck, ReliableUas};
use crate::dialog::CallState;

impl Call {
    /// The INVITE asked for reliable provisionals (`Supported` or
    /// `Require: 100rel`): ours go reliably.
    pub(crate) fn send_reliably(&mut self, r: ReliableUas) {
        self.reliable = Some(Box::new(r));
    }

    /// The INVITE carried no offer: our 2xx makes one, so no early media.
    pub(crate) fn late_offer(&mut self) {
        self.media.late_offer = true;
    }

    /// Sends provisional `code` (with `sdp`, early media): reliably when
    /// the caller supports it, then resent until its PRACK.
    pub(super) fn provisional(&mut self, code: u16, sdp: Option<Bytes>, step: &mut Step) {
        let Some(txn) = self.invite_txn else { return };
        let with = With { tag: true, dialog: true, sdp, ..With::default() };
        match self.reliable.as_mut() {
            // §3: one unacknowledged reliable provisional at a time.
            Some(r) if r.waiting() => {}
            Some(r) => {
                let with = With { reliable: Some(r.take_rseq()), ..with };
                step.respond(txn, code, with);
                step.arm(CallTimer::Retransmit1xx, step.timers.t1);
                step.arm(CallTimer::PrackTimeout, step.timers.t1x64());
            }
            None => step.respond(txn, code, with),
        }
    }

    /// The shard sent our reliable provisional with `rseq` as `data`.
    pub(crate) fn sent_reliable(&mut self, rseq: u32, code: u16, data: Bytes, t1: std::time::Duration) {
        if let Some(r) = self.reliable.as_mut() {
            r.sent(rseq, code, data, t1);
        }
    }

    /// A 183 with our SDP answer: the caller hears our media before the
    /// answer. After a reliable 183 the answer is given (RFC 3261
    /// §13.2.1) and the 2xx carries no SDP; after an unreliable one the
    /// 2xx carries it again.
    pub(super) fn early_media(&mut self, step: &mut Step) {
        self.enter(CallState::Ringing);
        let sdp = match self.reliable {
            Some(_) => self.media.sdp_answer.take(),
            None => self.media.sdp_answer.clone(),
        };
        self.provisional(183, sdp, step);
        self.media.open(step);
        step.event(CallEvent::Ringing);
    }

    /// Whether our 2xx must wait for the PRACK of a reliable provisional
    /// (it goes out when that PRACK comes).
    pub(super) fn answer_waits_for_prack(&mut self) -> bool {
        self.reliable.as_mut().is_some_and(|r| r.hold_answer())
    }

    /// Our reliable provisional again (its retransmission timer fired).
    pub(super) fn resend_1xx(&mut self, step: &mut Step) {
        let Some((_, _, wait)) = self.reliable.as_mut().and_then(|r| r.resend()) else { return };
        step.push(Effect::Resend(Kept::Reliable1xx));
        step.arm(CallTimer::Retransmit1xx, wait);
    }

    /// No PRACK within 64·T1: §3 rejects the INVITE with a 5xx.
    pub(super) fn prack_timeout(&mut self, step: &mut Step) {
        if !self.reliable.as_ref().is_some_and(|r| r.waiting()) {
            return;
        }
        step.error(CallErrorKind::Timeout, || "no PRACK for our reliable provisional".into());
        if let Some(r) = self.reliable.as_mut() {
            r.clear();
        }
        step.disarm([self.timers.take(CallTimer::Retransmit1xx), self.timers.take(CallTimer::Answer), None]);
        self.reject(504, Some("Server Time-out - No PRACK".into()), None, step);
    }

    /// A PRACK in the call's (early) dialog: the status to answer it
    /// with — 200 when it acknowledges our reliable provisional (the 2xx
    /// that waited for it goes out now), 481 when it matches nothing.
    pub(crate) fn on_prack(&mut self, rack: RAck, step: &mut Step) -> u16 {
        let found = self.reliable.as_mut().map_or(PrackMatch::Nothing, |r| r.on_prack(rack));
        let PrackMatch::Acked { answer } = found else { return 481 };
        let t = &mut self.timers;
        step.disarm([t.take(CallTimer::Retransmit1xx), t.take(CallTimer::PrackTimeout), None]);
        if answer {
            self.answer(step);
        }
        200
    }

    /// The reliable provisional waiting for its PRACK, to resend.
    pub(super) fn kept_1xx(&self) -> Option<(Bytes, u16)> {
        self.reliable.as_ref()?.unacked()
    }
}
