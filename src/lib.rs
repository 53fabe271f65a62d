//! sipbench: a multi-threaded, high-performance SIP packet engine.
//!
//! Layers, lowest first (see DESIGN.md): [`sip`] (messages), [`timer`]
//! (timing wheel), [`txn`] (RFC 3261 transactions), [`dialog`] (dialogs
//! and the call state machine), [`core`] (one shard's sans-IO engine).
//!
//! Parsing is zero-copy: a [`sip::Message`] is the datagram's `Bytes`
//! plus an index, and typed views read slices on demand.
//!
//! ```
//! use bytes::Bytes;
//! use sipbench::sip::{Message, Method};
//!
//! let raw = Bytes::from_static(
//!     b"OPTIONS sip:uas@127.0.0.1 SIP/2.0\r\n\
//!       v: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1\r\n\
//!       f: <sip:uac@127.0.0.1>;tag=a1\r\nt: <sip:uas@127.0.0.1>\r\n\
//!       i: 1@127.0.0.1\r\nCSeq: 7 OPTIONS\r\nl: 0\r\n\r\n",
//! );
//! let msg = Message::parse(raw).unwrap();
//! assert_eq!(msg.method(), Method::Options);
//! assert_eq!(msg.via().unwrap().branch(), Some("z9hG4bK-1"));
//! assert_eq!(msg.from().unwrap().tag(), Some("a1"));
//! assert_eq!(msg.cseq().unwrap().seq, 7);
//! ```

pub mod core;
pub mod dialog;
pub mod media;
pub mod metrics;
pub mod runtime;
pub mod sip;
pub mod timer;
pub mod transport;
pub mod txn;
