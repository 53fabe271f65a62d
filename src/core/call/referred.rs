//! Being transferred (RFC 3515 as transferee): a REFER we took makes an
//! implicit subscription in the call; the referred call's progress goes
//! out as NOTIFYs; it ends with the final status, when it expires
//! (`terminated;reason=timeout`), when a NOTIFY finds the peer gone, or
//! with the call.

use super::step::{CallEvent, Step};
use super::{Call, CallTimer, InDialog};
use crate::core::transfer::{Referred, SUBSCRIPTION};
use crate::dialog::CallState;

impl Call {
    /// Whether a REFER may be taken now: the refusal otherwise (403
    /// before the call is up, 491 while another is in progress).
    pub(crate) fn may_be_referred(&self) -> Result<(), (u16, &'static str)> {
        if self.state != CallState::Confirmed {
            return Err((403, "Forbidden - Call Not Established"));
        }
        if self.referred.is_some() {
            return Err((491, "Request Pending"));
        }
        Ok(())
    }

    /// We took the REFER with CSeq `id` (the shard answered 202): the
    /// subscription starts with `100 Trying` and the application hears
    /// whom to call.
    pub(crate) fn refer_taken(
        &mut self,
        id: u32,
        target: String,
        referred_by: Option<String>,
        step: &mut Step,
    ) {
        let r = Referred { id, ends: step.now + SUBSCRIPTION };
        self.referred = Some(r);
        step.arm(CallTimer::ReferredExpiry, SUBSCRIPTION);
        step.request(InDialog::Notify(r.notify(100, step.now)));
        step.event(CallEvent::Referred { target, referred_by });
    }

    /// The referred call reached `code`: a final status ends the
    /// subscription.
    pub(crate) fn transfer_progress(&mut self, code: u16, step: &mut Step) {
        let Some(r) = self.referred else { return };
        step.request(InDialog::Notify(r.notify(code, step.now)));
        if code >= 200 {
            self.end_referred(step);
        }
    }

    /// The subscription expired before the referred call's final status.
    pub(super) fn referred_expired(&mut self, step: &mut Step) {
        let Some(r) = self.referred.take() else { return };
        step.request(InDialog::Notify(r.expired()));
    }

    /// Our NOTIFY got `code` (0: none): a peer that no longer knows the
    /// subscription (481) or does not answer ends it; the call goes on.
    pub(super) fn on_notify_final(&mut self, code: u16, step: &mut Step) {
        if (200..300).contains(&code) {
            return;
        }
        self.request_failed_quietly("NOTIFY", code, step);
        if matches!(code, 0 | 408 | 481) {
            self.end_referred(step);
        }
    }

    fn end_referred(&mut self, step: &mut Step) {
        self.referred = None;
        step.disarm([self.timers.take(CallTimer::ReferredExpiry), None, None]);
    }
}
