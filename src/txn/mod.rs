//! RFC 3261 §17 transactions with the RFC 6026 corrections, sans-IO.
//!
//! Each state machine reacts to messages and timer firings through a
//! [`TxnCtx`] that lends it the shard's timer wheel and outbox; it never
//! reads a clock or touches a socket. Timer values come from
//! [`TimerConfig`] (T1, T2, T4). Over a reliable transport ([`Peer`]
//! names one) requests and non-2xx responses are not retransmitted and the
//! timers that absorb retransmissions (D, I, J, K) are zero.

mod config;
mod ctx;
mod dest;
mod invite_client;
mod invite_server;
mod kept;
mod key;
mod non_invite_client;
mod non_invite_server;
mod peer;
mod request_boxes;
mod table;

pub use config::TimerConfig;
pub use ctx::{MessageKind, TxnCtx, TxnOutput, TxnSide, TxnTimer, TxnTimerRef};
pub(crate) use dest::destination as response_destination_of;
pub use dest::response_destination;
pub use invite_client::{ClientOutcome, IctState, InviteClientTxn};
pub use invite_server::{InviteServerTxn, IstState};
pub use kept::KeptResponses;
pub use key::TxnKey;
pub use non_invite_client::{NictState, NonInviteClientTxn};
pub use non_invite_server::{NistState, NonInviteServerTxn};
pub use peer::{ConnId, Peer};
pub use request_boxes::RequestBoxes;
pub use table::TxnTable;
