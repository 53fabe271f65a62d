//! The application's hook into a shard: `CallHandler` decides each new
//! call and answers OPTIONS, REGISTER (with a registrar) and in-dialog
//! requests. It runs on
//! the owning shard's thread and sees read-only views of the request, with
//! no SIP machinery to drive.

mod incoming;

pub use incoming::{IncomingCall, IncomingRequest, OfferSummary};

use crate::core::CallHandle;
use crate::dialog::{CallPolicy, Decision};

/// Decides what happens to requests. One instance per shard, called on
/// that shard's thread: it must not block.
pub trait CallHandler: Send + 'static {
    /// A new INVITE.
    fn on_incoming(&mut self, call: &IncomingCall<'_>) -> Decision;

    /// An out-of-dialog OPTIONS: the status to answer (200 with Allow).
    fn on_options(&mut self, _request: &IncomingRequest<'_>) -> u16 {
        200
    }

    /// A well-formed REGISTER, when the engine runs a registrar
    /// (`ConfigBuilder::registrar`): 200 lets the registrar update the
    /// bindings and list them; any other status is answered as it is and
    /// changes nothing. Without a registrar REGISTER gets 405 and this is
    /// not asked.
    fn on_register(&mut self, _request: &IncomingRequest<'_>) -> u16 {
        200
    }

    /// INFO, MESSAGE, OPTIONS or NOTIFY inside a call: the status.
    fn on_in_dialog_request(&mut self, _call: CallHandle, _request: &IncomingRequest<'_>) -> u16 {
        200
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
    fn on_incoming(&mut self, _call: &IncomingCall<'_>) -> Decision {
        self.policy.decide(&mut self.credit)
    }
}
