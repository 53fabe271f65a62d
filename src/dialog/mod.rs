//! Dialogs (RFC 3261 §12) and the call state machine the application
//! sees. Sans-IO: state and decisions only; the shard core drives them.

mod call;
mod dialog_state;
mod policy;
mod uac_dialog;

pub use call::{CallHandle, CallState, EndReason};
pub use dialog_state::Dialog;
pub use policy::{Accept, CallPolicy, Decision};
