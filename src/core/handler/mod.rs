//! The application's hook into a shard: `CallHandler` decides each new
//! call and answers OPTIONS, REGISTER (with a registrar) and in-dialog
//! requests. It runs on
//! the owning shard's thread and sees read-only views of the request, with
//! no SIP machinery to drive.

mod accept;
mod decision;
mod incoming;
mod offered;
mod refer;
mod refusal;
mod status;

pub use accept::Accept;
pub use decision::Decision;
pub use incoming::{IncomingCall, IncomingRequest, OfferSummary};
pub use offered::OfferedCodec;
pub use refer::{IncomingRefer, ReferDecision};
pub use refusal::{Redirection, Rejection};
pub use status::FinalStatus;

use crate::core::CallHandle;
use crate::dialog::CallPolicy;

/// Decides what happens to requests. One instance per shard, called on
/// that shard's thread: it must not block (defer the call and decide from
/// another thread when the answer takes time).
///
/// ```
/// use sipbench::{CallHandler, Decision, FinalStatus, IncomingCall, IncomingRequest};
///
/// #[derive(Clone)]
/// struct Directory;
///
/// impl CallHandler for Directory {
///     fn on_incoming(&mut self, call: &IncomingCall<'_>) -> Decision {
///         match call.request_user().as_deref() {
///             Some("support") => Decision::accept(),
///             Some("slow") => Decision::defer(),
///             _ => Decision::not_found(),
///         }
///     }
///
///     fn on_options(&mut self, _request: &IncomingRequest<'_>) -> FinalStatus {
///         FinalStatus::OK
///     }
/// }
/// ```
pub trait CallHandler: Send + 'static {
    /// A new INVITE.
    fn on_incoming(&mut self, call: &IncomingCall<'_>) -> Decision;

    /// An out-of-dialog OPTIONS: the status to answer (200 with Allow).
    fn on_options(&mut self, _request: &IncomingRequest<'_>) -> FinalStatus {
        FinalStatus::OK
    }

    /// A well-formed REGISTER, when the engine runs a registrar
    /// (`ConfigBuilder::registrar`): 200 lets the registrar update the
    /// bindings and list them; any other status is answered as it is
    /// (another 2xx as 500) and changes nothing. Without a registrar
    /// REGISTER gets 405 and this is not asked.
    fn on_register(&mut self, _request: &IncomingRequest<'_>) -> FinalStatus {
        FinalStatus::OK
    }

    /// INFO, MESSAGE, OPTIONS or NOTIFY inside a call: the status.
    fn on_in_dialog_request(&mut self, _call: CallHandle, _request: &IncomingRequest<'_>) -> FinalStatus {
        FinalStatus::OK
    }

    /// A REFER inside an established call (RFC 3515): accept it (202,
    /// then place the call with `OutgoingCall::referred`) or refuse it.
    /// Default: 603 Decline.
    fn on_refer(&mut self, _call: CallHandle, _refer: &IncomingRefer<'_>) -> ReferDecision {
        ReferDecision::Decline
    }
}

/// The configured `CallPolicy` as a handler: what `sipbench-server` runs.
#[derive(Debug, Clone, Default)]
pub struct PolicyHandler {
    policy: CallPolicy,
    credit: u32,
}

impl PolicyHandler {
    /// Decides every call by `policy`.
    pub fn new(policy: CallPolicy) -> PolicyHandler {
        PolicyHandler { policy, credit: 0 }
    }
}

impl CallHandler for PolicyHandler {
    /// Rejects the policy's share of calls (spread exactly: a credit
    /// accumulates the percentage and rejects each time it passes 100),
    /// and rings, answers and hangs up the others as configured. A
    /// `reject_code` that is not a final error status (the engine's
    /// configuration refuses one) rejects with 500.
    fn on_incoming(&mut self, _call: &IncomingCall<'_>) -> Decision {
        let p = &self.policy;
        self.credit += u32::from(p.reject_percent.min(100));
        if self.credit >= 100 {
            self.credit -= 100;
            return Decision::reject(p.reject_code).unwrap_or_else(|_| Decision::fixed(500));
        }
        let nonzero = |d: std::time::Duration| (!d.is_zero()).then_some(d);
        Decision::Accept(Accept {
            ring: nonzero(p.ring),
            answer_after: p.answer,
            hang_up_after: nonzero(p.hangup),
            media: None,
            early_media: p.early_media,
        })
    }
}
