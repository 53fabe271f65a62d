//! sipbench: a multi-threaded, high-performance SIP packet engine.
//!
//! Layers (see DESIGN.md): [`sip`] is the zero-copy message layer.

pub mod sip;
