//! Dialogs (RFC 3261 §12), the call state machine (its states and legal
//! moves), why calls end, and the configured default policy for new calls. Sans-IO: state
//! and decisions only; the core's `Call` makes the moves.

mod call_state;
mod dialog_state;
mod policy;
mod uac_dialog;

pub use call_state::{CallState, EndReason};
pub use dialog_state::Dialog;
pub use policy::CallPolicy;
