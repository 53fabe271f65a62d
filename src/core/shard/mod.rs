//! `ShardCore`: one shard's sans-IO engine, a router over the call table,
//! the transaction tables and the timing wheel. The runtime feeds it
//! messages, commands and clock readings and drains its `Outbox`; calls
//! decide what happens to them (`core::call`), this carries it out.

pub(crate) mod capacity;
mod clock;
mod config;
mod effects;
mod end;
mod send_failure;
mod sent_by;
mod timers;

use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;

pub(crate) use clock::{Clock, CoreTimer};
pub use config::{CoreConfig, Credentials, RtpPortSource};

use super::admission::Admission;
use super::call::{CallTable, Step};
use super::ids::Minter;
use super::offer_answer::{OfferAnswer, RtpPorts};
use super::{CallHandler, CoreStats, Outbox, PolicyHandler};
use crate::sip::{Message, Method, Writer};
use crate::txn::{InviteClientTxn, InviteServerTxn, NonInviteClientTxn, NonInviteServerTxn, Peer, TxnTable};

/// What a datagram turned out to be (for the runtime's service-time
/// histograms, which single out INVITEs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// A request with this method.
    Request(Method),
    /// A response.
    Response,
    /// Not a SIP message we could read (400 or a counted drop).
    Malformed,
}

/// One shard's protocol engine (UAS and UAC roles).
pub struct ShardCore {
    pub(crate) cfg: CoreConfig,
    pub(crate) clock: Clock,
    pub(crate) ist: TxnTable<InviteServerTxn>,
    pub(crate) nist: TxnTable<NonInviteServerTxn>,
    pub(crate) ict: TxnTable<InviteClientTxn>,
    pub(crate) nict: TxnTable<NonInviteClientTxn>,
    pub(crate) calls: CallTable,
    pub(crate) writer: Writer,
    pub(crate) sdp: OfferAnswer,
    pub(crate) sent_by: sent_by::SentBy,
    pub(crate) ports: RtpPorts,
    pub(crate) handler: Box<dyn CallHandler>,
    pub(crate) admission: Admission,
    pub(crate) stats: CoreStats,
    pub(crate) setup_us: hdrhistogram::Histogram<u64>,
    pub(crate) placed_setup_us: hdrhistogram::Histogram<u64>,
    pub(crate) ids: Minter,
    /// The current call's view of the shard (reused buffer).
    pub(crate) step: Step,
    /// Calls we placed that are still up.
    pub(crate) placed_live: u64,
    /// The call last placed, with its checked destination.
    pub(crate) last_placed: crate::core::placed::LastChecked,
    /// The peer (transport, connection) of the message being handled:
    /// our answers go back the way it came (RFC 3261 §18.2.2).
    pub(crate) arrived: Peer,
    /// Nonces, replay memory and failures, when requests need credentials.
    pub(crate) auth: Option<super::auth::AuthState>,
    due: Vec<CoreTimer>,
}

impl ShardCore {
    /// A core whose timer wheel starts at `epoch`.
    pub fn new(cfg: CoreConfig, epoch: Instant) -> ShardCore {
        ShardCore {
            clock: Clock::new(epoch, cfg.timers),
            ist: TxnTable::default(),
            nist: TxnTable::default(),
            ict: TxnTable::default(),
            nict: TxnTable::default(),
            calls: CallTable::default(),
            writer: Writer::new(),
            sdp: OfferAnswer::new(&cfg),
            sent_by: sent_by::SentBy::new(&cfg),
            ports: RtpPorts::new(cfg.rtp_ports),
            handler: Box::new(PolicyHandler::new(cfg.policy)),
            admission: Admission::new(&cfg),
            stats: CoreStats::default(),
            setup_us: crate::metrics::latency_histogram(),
            placed_setup_us: crate::metrics::latency_histogram(),
            ids: Minter::new(cfg.shard, cfg.shards, &cfg.id_key),
            step: Step::new(cfg.timers, cfg.defer_timeout, cfg.events, epoch),
            placed_live: 0,
            last_placed: Default::default(),
            arrived: Peer::udp(cfg.local),
            auth: cfg.auth.as_ref().map(|a| super::auth::AuthState::new(a, cfg.shard, epoch)),
            due: Vec::new(),
            cfg,
        }
    }

    /// A datagram arrived from `from`; says what it was.
    pub fn on_datagram(&mut self, now: Instant, from: SocketAddr, data: Bytes, out: &mut Outbox) -> Received {
        self.on_message(now, Peer::udp(from), data, out)
    }

    /// A whole message arrived from `from`: a datagram, or one framed off
    /// a stream connection (which our answers then go back on); says what
    /// it was.
    pub fn on_message(&mut self, now: Instant, peer: Peer, data: Bytes, out: &mut Outbox) -> Received {
        let sent_before = out.transmits.len();
        self.step.now = now;
        self.arrived = peer;
        let from = peer.addr;
        let mut msg = Message::unparsed(data);
        let received = match Message::fill_received(&mut msg, &self.cfg.limits) {
            Ok(()) if msg.is_request() => {
                let method = msg.method();
                self.on_request(now, from, &mut msg, out);
                Received::Request(method)
            }
            Ok(()) => {
                self.on_response(now, msg, out);
                Received::Response
            }
            Err(e) => {
                self.on_bad_datagram(from, msg.buf, e, out);
                Received::Malformed
            }
        };
        self.stats.count_out(&out.transmits[sent_before..]);
        received
    }

    /// Timers due at `now` fire.
    pub fn on_timers(&mut self, now: Instant, out: &mut Outbox) {
        let sent_before = out.transmits.len();
        self.step.now = now;
        let mut due = std::mem::take(&mut self.due);
        self.clock.wheel.poll(now, |_, t| due.push(t));
        for t in due.drain(..) {
            self.on_timer(now, t, out);
        }
        self.due = due;
        self.stats.count_out(&out.transmits[sent_before..]);
    }

    /// When `on_timers` should next run.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.clock.wheel.next_deadline()
    }

    /// Lets `handler` decide new calls and requests instead of the
    /// configured policy.
    pub fn set_handler(&mut self, handler: Box<dyn CallHandler>) {
        self.handler = handler;
    }

    /// Counters so far.
    pub fn stats(&self) -> &CoreStats {
        &self.stats
    }

    /// Setup times of the calls we answered (INVITE in → 200 out), µs.
    pub fn setup_histogram(&self) -> &hdrhistogram::Histogram<u64> {
        &self.setup_us
    }

    /// Setup times of the calls we placed (INVITE out → 2xx in), µs.
    pub fn placed_setup_histogram(&self) -> &hdrhistogram::Histogram<u64> {
        &self.placed_setup_us
    }

    /// Calls this shard placed that are still up.
    pub fn placed_calls_live(&self) -> u64 {
        self.placed_live
    }

    /// Signalling bytes held per live call (dialog text plus the fixed
    /// call record), for the per-call memory budget.
    pub fn bytes_per_call(&self) -> usize {
        self.calls.bytes_per_call()
    }

    /// The engine's handle on the call in `slot`.
    pub(crate) fn handle(&self, slot: usize) -> crate::core::CallHandle {
        self.calls.handle(self.cfg.shard, slot)
    }
}
