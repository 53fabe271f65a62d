//! sipbench: a multi-threaded, high-performance SIP engine for user agent
//! servers, built to be embedded.
//!
//! An application starts an [`Engine`] with a [`Config`] and a
//! [`CallHandler`]. The handler decides each new call on the shard that
//! owns it ([`Decision`]: accept, ring, reject, redirect or defer), from
//! the parsed request ([`IncomingCall`]: users, display names, source,
//! offered codecs); [`CallControl`] steers calls from any thread (answer,
//! hang up, hold, resume, play, bridge, send INFO, transfer, place new
//! ones with an [`OutgoingCall`]); [`Events`] tell what happened, each
//! with its time and the call's context ([`CallInfo`]). Every status and
//! string the application hands over is checked before it reaches the
//! wire ([`CommandError`]). Transactions, retransmissions, dialogs, SDP
//! and RTP are the engine's business, over UDP, TCP and TLS alike
//! ([`ConfigBuilder::listen_on`], [`TlsConfig`]; [`Transport`] names
//! them).
//!
//! ```no_run
//! use std::time::Duration;
//! use sipbench::{CallHandler, Config, Decision, Engine, EventKind, IncomingCall};
//!
//! #[derive(Clone)]
//! struct Answer;
//!
//! impl CallHandler for Answer {
//!     fn on_incoming(&mut self, call: &IncomingCall<'_>) -> Decision {
//!         match call.from_user().as_deref() {
//!             Some("blocked") => Decision::forbidden(),
//!             _ => Decision::ring_then_accept(Duration::from_millis(500)),
//!         }
//!     }
//! }
//!
//! let config = Config::builder().listen("127.0.0.1:5060".parse().unwrap()).shards(2).build()?;
//! let engine = Engine::start(config, Answer)?;
//! for event in engine.events().iter().take(100) {
//!     if let EventKind::Terminated { reason, duration, .. } = event.kind {
//!         let who = &event.info.remote_uri;
//!         println!("{} ({who}, {}) ended: {reason:?} after {duration:?}", event.call, event.info.call_id);
//!     }
//! }
//! engine.shutdown(Duration::from_secs(5));
//! # Ok::<(), sipbench::Error>(())
//! ```
//!
//! Lifecycle: [`Engine::shutdown`] ends calls gracefully within a
//! deadline; dropping an engine does the same with [`DROP_GRACE`] (1 s).
//! Either way its port is free once it returns, and commands from then
//! on fail at once with [`CommandError::Stopped`]. A second engine (or
//! any process) on a port in use is refused with an error naming it.
//!
//! With the `async` feature, [`Events`] is a `futures_core::Stream` and
//! [`Pending`] / [`PendingCall`] are futures, on any executor (see
//! `examples/async_answer.rs` for tokio).
//!
//! The layers below are public for tools and tests, lowest first (see
//! DESIGN.md): [`sip`] (zero-copy messages), [`timer`] (timing wheel),
//! [`txn`] (RFC 3261 transactions), [`dialog`] (dialogs and call states),
//! [`core`] (one shard's sans-IO engine), [`media`] (the RTP relay pool),
//! [`runtime`] (threads and sockets), [`transport`] (sockets),
//! [`metrics`] (reports). The binaries' own support (flags, run loop,
//! metrics endpoint, signals) is `cli`, behind the default `cli` feature;
//! `default-features = false` builds the engine alone.
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
//! ```

#![deny(missing_docs)]

#[cfg(feature = "cli")]
pub mod cli;
pub mod core;
pub mod dialog;
pub mod engine;
pub mod media;
pub mod metrics;
pub mod runtime;
pub mod sip;
pub mod timer;
pub mod transport;
pub mod txn;

/// Session timers (RFC 4028) of the calls the engine answers.
pub use crate::core::SessionTimerConfig;
pub use crate::core::{
    Accept, CallDirection, CallErrorKind, CallHandle, CallHandler, CallInfo, CommandError, Decision, Event,
    EventKind, FinalStatus, IncomingCall, IncomingRefer, IncomingRequest, LimitAction, OfferSummary,
    OfferedCodec, OnHold, OutgoingCall, PolicyHandler, Redirection, ReferDecision, Registrar, Rejection,
    SourceLimit, SrtpPolicy, StatusCounts, TransferStatus, UacStats, UriSchemes,
};
/// Digest authentication of the requests the engine answers.
pub use crate::core::{AuthConfig, AuthStats, CredentialStore, NonceKey, Secret, UserTable};
pub use crate::dialog::{CallPolicy, CallState, EndReason};
pub use crate::engine::{
    CallControl, Config, ConfigBuilder, ConfigError, DROP_GRACE, Engine, Error, ErrorCategory, Events,
    Pending, PendingCall, Result, StatsSnapshot,
};
pub use crate::media::{MediaConfig, MediaMode, SrtpReport, SrtpSuite, StreamReport};
pub use crate::runtime::{ConnStats, ConnectionReuse, LoadPlan, ReportHandle, ShardReport, StreamLimits};
pub use crate::sip::digest::DigestAlgorithm;
pub use crate::sip::sdp::Codec;
pub use crate::sip::{ParseLimits, Transport};
pub use crate::transport::tls::TlsConfig;
