//! Carrying out the handler's decision on a new call: accept (ring and
//! answer on timers), reject, redirect, or defer to the application.

use std::time::Instant;

use super::call_table::CallTimer;
use super::respond::Extra;
use super::{Outbox, ShardCore};
use crate::dialog::{Accept, Decision, EndReason};

impl ShardCore {
    /// Carries out the handler's decision on a new call.
    pub(crate) fn apply_decision(
        &mut self,
        now: Instant,
        txn: usize,
        call: usize,
        decision: Decision,
        out: &mut Outbox,
    ) {
        match decision {
            Decision::Reject { code, reason } if (300..700).contains(&code) => match reason {
                Some(r) => self.reject_call_with(now, call, code, &r, None, out),
                None => self.reject_call(now, call, code, out),
            },
            Decision::Reject { .. } => self.reject_call(now, call, 500, out),
            Decision::Redirect { code, contact } => {
                let code = if (300..400).contains(&code) { code } else { 302 };
                let reason = super::response::reason_phrase(code);
                self.reject_call_with(now, call, code, reason, Some(&contact), out);
            }
            Decision::Defer => {
                self.answer_invite(now, txn, 100, "Trying", None, Extra::default(), out);
                self.arm_call_timer(now, call, CallTimer::Hangup, self.cfg.defer_timeout);
            }
            Decision::Accept(Accept { ring, answer_after, hang_up_after, media }) => {
                if let Some(c) = self.calls.get_mut(call) {
                    c.hangup_after = hang_up_after;
                    c.media_mode = media;
                }
                // RFC 3261 §17.2.1: 100 Trying only when no other response
                // goes out at once (a 180 or the final does its job).
                if ring.is_none() && !answer_after.is_zero() {
                    self.answer_invite(now, txn, 100, "Trying", None, Extra::default(), out);
                }
                if ring.is_some() {
                    self.ring_call(now, call, out);
                }
                let delay = ring.unwrap_or_default() + answer_after;
                if delay.is_zero() {
                    self.answer_call(now, call, out);
                } else {
                    self.arm_call_timer(now, call, CallTimer::Answer, delay);
                }
            }
        }
    }

    /// Rejects a call that has not been answered yet.
    pub(crate) fn reject_call(&mut self, now: Instant, call: usize, code: u16, out: &mut Outbox) {
        let reason = super::response::reason_phrase(code);
        self.reject_call_with(now, call, code, reason, None, out);
    }

    /// Rejects (or, with `contact`, redirects) an unanswered call.
    pub(crate) fn reject_call_with(
        &mut self,
        now: Instant,
        call: usize,
        code: u16,
        reason: &str,
        contact: Option<&str>,
        out: &mut Outbox,
    ) {
        let Some(c) = self.calls.get_mut(call) else { return };
        let Some(slot) = c.invite_txn.take() else { return };
        let tag = super::Token::copy_of(c.dialog.local_tag());
        let extra = Extra { redirect: contact, ..Extra::default() };
        self.answer_invite(now, slot, code, reason, Some(&tag), extra, out);
        self.end_call(call, EndReason::Rejected(code), now, out);
    }
}
