//! sipbench: a multi-threaded, high-performance SIP packet engine.
//!
//! Layers, lowest first (see DESIGN.md): [`sip`] (messages), [`timer`]
//! (timing wheel), [`txn`] (RFC 3261 transactions), [`dialog`] (dialogs
//! and the call state machine), [`core`] (one shard's sans-IO engine).

pub mod core;
pub mod dialog;
pub mod metrics;
pub mod runtime;
pub mod sip;
pub mod timer;
pub mod transport;
pub mod txn;
