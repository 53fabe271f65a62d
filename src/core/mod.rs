//! One shard's sans-IO protocol engine, in folders by concept:
//!
//! * `shard/` — `ShardCore`, the router over the call table, the
//!   transaction tables and the timing wheel; it carries out what calls
//!   decide and ends them.
//! * `call/` — a call: its state, dialog, media, timers and every
//!   transition it makes (the legal moves are `dialog::CallState`).
//! * `server/` — requests we answer (INVITE, ACK, CANCEL, in-dialog,
//!   out-of-dialog, malformed) and how responses are written.
//! * `placed/` — calls we place: the INVITE, forks, credentials, CANCEL.
//! * `requests/` — requests we send inside a dialog, and every response
//!   to a request we sent.
//! * `command/` — what the application asks, as one `Command`.
//! * `offer_answer/` — SDP offer/answer and the RTP ports it names.
//! * `admission/` — source limits, call and transaction limits (shared
//!   by an engine's shards), overload.
//! * `reliable/` — reliable provisional responses (RFC 3262): RSeq,
//!   RAck, what waits for a PRACK.
//! * `auth/` — digest authentication of the requests we answer.
//! * `session_timer/` — RFC 4028 session intervals and refreshers.
//! * `registrar/` — the optional in-memory registrar's bindings.
//! * `handler/` — the application's hook that decides new calls.
//! * `transfer/` — being transferred (RFC 3515 as transferee): the
//!   implicit subscription a REFER we took makes and its NOTIFYs.
//! * `output/` — what a step produces: typed transmits, media commands,
//!   events.
//! * `stats/` — counters. `ids/` — call handles, Call-ID owners, and the
//!   keyed generator of unguessable tags, branches and Call-IDs.
//!
//! Nothing here does I/O, spawns a thread or reads the clock.

mod admission;
mod auth;
mod call;
mod command;
mod handler;
mod ids;
mod offer_answer;
mod output;
mod placed;
mod registrar;
mod reliable;
mod requests;
mod server;
mod session_timer;
mod shard;
mod stats;
mod transfer;

pub use crate::txn::MessageKind;
pub use admission::{LimitAction, SharedLimits, SourceLimit};
pub use auth::{AuthConfig, CredentialStore, NonceKey, Secret, UserTable};
pub use command::{Applied, Command, CommandError, MAX_INFO_BODY, OnHold};
pub use handler::{
    Accept, CallHandler, Decision, FinalStatus, IncomingCall, IncomingRefer, IncomingRequest, OfferSummary,
    OfferedCodec, PolicyHandler, Redirection, ReferDecision, Rejection,
};
pub use ids::{CallHandle, IdKey, call_id_hash, owner_shard};
pub(crate) use ids::{FNV_OFFSET, FNV_PRIME};
pub use offer_answer::SrtpPolicy;
pub use output::{
    CallDirection, CallErrorKind, CallInfo, Event, EventKind, MediaCommand, Outbox, TransferStatus, Transmit,
};
pub use placed::OutgoingCall;
pub use registrar::{DEFAULT_MAX_BINDINGS, Registrar};
pub use server::UriSchemes;
pub use session_timer::SessionTimerConfig;
pub use shard::capacity::lingering_at;
pub use shard::{CoreConfig, Credentials, Received, RtpPortSource, ShardCore};
pub use stats::{AuthStats, CoreStats, StatusCounts, TableSizes, UacStats};
