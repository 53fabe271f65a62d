//! The outcomes of the non-INVITE requests a call sent in its dialog
//! (BYE, INFO, REFER, NOTIFY, PRACK, UPDATE, CANCEL), and what a failed one does
//! to the call (RFC 3261 §12.2.1.2: no answer, 408 or 481 end it).

use super::Call;
use super::step::{CallEvent, Step};
use crate::core::CallErrorKind;
use crate::dialog::EndReason;

impl Call {
    /// The final response (0: Timer F) to our non-INVITE request in
    /// client transaction `txn`: REFER, NOTIFY, PRACK, INFO or BYE (a CANCEL's changes
    /// nothing: the INVITE's final response tells).
    pub(crate) fn on_request_final(&mut self, txn: usize, code: u16, step: &mut Step) {
        let txn = Some(txn as u32);
        if self.requests.cancel == txn {
            self.requests.cancel = None;
            return;
        }
        if self.requests.refer == txn {
            self.requests.refer = None;
            return self.on_refer_final(code, step);
        }
        if self.requests.update == txn {
            self.requests.update = None;
            return self.on_update_final(code, step);
        }
        if self.requests.notify == txn {
            self.requests.notify = None;
            return self.on_notify_final(code, step);
        }
        if self.requests.prack == txn {
            self.requests.prack = None;
            // A PRACK refused changes nothing: the INVITE's answer tells.
            if !(200..300).contains(&code) {
                self.request_failed_quietly("PRACK", code, step);
            }
            return;
        }
        if self.requests.info == txn {
            self.requests.info = None;
            if (200..300).contains(&code) {
                step.event(CallEvent::InfoDelivered { code });
            } else {
                self.request_failed("INFO", code, step);
            }
            return;
        }
        // An earlier request's late outcome (a NOTIFY before the last, a
        // PRACK before the last) changes nothing; only our BYE ends the call.
        if self.requests.bye != txn {
            return;
        }
        self.requests.bye = None;
        if code == 0 {
            step.error(CallErrorKind::Timeout, || "no response to BYE".into());
        }
        let reason = match self.ending {
            // Shutdown's BYE answered: the call ended cleanly, as any BYE
            // of ours does; only calls left at the deadline count as
            // ended by shutdown.
            Some(EndReason::Shutdown) if (200..300).contains(&code) => EndReason::LocalBye,
            Some(r) if (200..300).contains(&code) || r != EndReason::LocalBye => r,
            // A refused or unanswered BYE still ends the call, as a failure.
            _ => EndReason::ByeFailed,
        };
        step.end(reason);
    }

    /// A request we sent in the dialog failed with `code` (0: no answer).
    /// The call goes on unless the dialog is gone: no answer, 408 or 481
    /// (RFC 3261 §12.2.1.2); then we end it with BYE.
    pub(crate) fn request_failed(&mut self, method: &'static str, code: u16, step: &mut Step) {
        if code == 0 {
            step.error(CallErrorKind::Timeout, || format!("no response to {method}"));
        } else {
            step.event(CallEvent::RequestFailed { method, code });
        }
        if matches!(code, 0 | 408 | 481) {
            self.hang_up(EndReason::RequestTimeout, step);
        }
    }

    /// A request whose failure leaves the dialog as it is (PRACK, NOTIFY):
    /// an event or an error, never a BYE.
    pub(crate) fn request_failed_quietly(&mut self, method: &'static str, code: u16, step: &mut Step) {
        if code == 0 {
            step.error(CallErrorKind::Timeout, || format!("no response to {method}"));
        } else {
            step.event(CallEvent::RequestFailed { method, code });
        }
    }
}
