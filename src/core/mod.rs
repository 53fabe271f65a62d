//! `ShardCore`: one shard's sans-IO engine. It ties the transaction layer,
//! the dialogs and the timing wheel together; the runtime feeds it
//! datagrams, commands and clock readings and drains its `Outbox`. (Just
//! over 200 lines: the struct, its constructor and three entry points.)

mod ack;
mod call;
mod call_errors;
mod call_id;
mod call_table;
mod cancel;
mod commands;
mod config;
mod decision;
mod end;
mod handler;
mod in_dialog;
mod info;
mod invite;
mod load;
mod outbox;
mod place;
mod refer;
mod request;
mod respond;
mod response;
mod rtp_ports;
mod sdp_glue;
mod source_limit;
mod stats;
mod timers;
mod token;
mod uac;
mod uac_auth_cancel;
mod uac_leg;
mod uac_response;
mod uac_stats;

use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;

pub use call_id::{CallId, call_id_hash, owner_shard};
pub use commands::{Command, CommandError};
pub use config::{CoreConfig, Credentials};
pub use handler::{CallHandler, IncomingCall, IncomingRequest, OfferSummary, PolicyHandler};
pub use load::LoadPlan;
pub use outbox::{CallErrorKind, Event, EventKind, MediaCommand, Outbox, TransferStatus};
pub use rtp_ports::RtpPorts;
pub use source_limit::{LimitAction, SourceLimit};
pub use stats::{CoreStats, TableSizes};
pub use uac_leg::OutgoingCall;
pub use uac_stats::{StatusCounts, UacStats};

use crate::sip::{Message, Writer};
use crate::timer::TimerWheel;
use crate::txn::{
    InviteClientTxn, InviteServerTxn, NonInviteClientTxn, NonInviteServerTxn, TxnTable, TxnTimerRef,
};
use call_table::{CallTable, CallTimer};
pub(crate) use token::Token;

/// What the wheel carries: a transaction timer or a call timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CoreTimer {
    Txn(TxnTimerRef),
    Call {
        slot: u32,
        generation: u32,
        timer: CallTimer,
    },
    /// The load generator's next call is due.
    Load,
}

impl From<TxnTimerRef> for CoreTimer {
    fn from(t: TxnTimerRef) -> Self {
        CoreTimer::Txn(t)
    }
}

/// One shard's protocol engine (UAS and UAC roles).
pub struct ShardCore {
    cfg: CoreConfig,
    wheel: TimerWheel<CoreTimer>,
    ist: TxnTable<InviteServerTxn>,
    nist: TxnTable<NonInviteServerTxn>,
    ict: TxnTable<InviteClientTxn>,
    nict: TxnTable<NonInviteClientTxn>,
    calls: CallTable,
    writer: Writer,
    sdp: sdp_glue::SdpAnswerer,
    ports: Box<dyn RtpPorts>,
    handler: Box<dyn CallHandler>,
    sources: source_limit::SourceBuckets,
    calls_by_source: std::collections::HashMap<std::net::IpAddr, u32, ahash::RandomState>,
    stats: CoreStats,
    setup_us: hdrhistogram::Histogram<u64>,
    generation: u32,
    ids: u64,
    accepting: bool,
    overloaded: bool,
    load: Option<load::LoadState>,
}

impl ShardCore {
    /// A core whose timer wheel starts at `epoch`.
    pub fn new(cfg: CoreConfig, epoch: Instant) -> ShardCore {
        let sdp = sdp_glue::SdpAnswerer::new(&cfg);
        let mut wheel = TimerWheel::new(epoch);
        let load = cfg.load.clone().map(|plan| {
            wheel.insert(epoch, CoreTimer::Load);
            load::LoadState::new(plan, epoch)
        });
        ShardCore {
            wheel,
            load,
            ist: TxnTable::default(),
            nist: TxnTable::default(),
            ict: TxnTable::default(),
            nict: TxnTable::default(),
            calls: CallTable::default(),
            writer: Writer::new(),
            sdp,
            ports: Box::new(rtp_ports::NamedPorts::new(cfg.rtp_ports)),
            handler: Box::new(PolicyHandler::new(cfg.policy)),
            sources: Default::default(),
            calls_by_source: Default::default(),
            stats: CoreStats::default(),
            setup_us: crate::metrics::latency_histogram(),
            generation: 0,
            ids: 0,
            accepting: true,
            overloaded: false,
            cfg,
        }
    }

    /// A datagram arrived from `from`.
    pub fn on_datagram(&mut self, now: Instant, from: SocketAddr, data: Bytes, out: &mut Outbox) {
        let sent_before = out.datagrams.len();
        let mut msg = Message::unparsed(data);
        match Message::fill_received(&mut msg, &self.cfg.limits) {
            Ok(()) if msg.is_request() => self.on_request(now, from, &mut msg, out),
            Ok(()) => self.on_response(now, msg, out),
            Err(e) => self.on_bad_datagram(from, msg.buf, e, out),
        }
        self.count_out(out, sent_before);
    }

    /// Counts the datagrams a step added to the outbox.
    fn count_out(&mut self, out: &Outbox, from: usize) {
        for d in out.datagrams.get(from..).unwrap_or(&[]) {
            self.stats.count_out(&d.data);
        }
    }

    /// Timers due at `now` fire.
    pub fn on_timers(&mut self, now: Instant, out: &mut Outbox) {
        let sent_before = out.datagrams.len();
        let mut due = Vec::new();
        self.wheel.poll(now, |_, t| due.push(t));
        for t in due {
            self.on_timer(now, t, out);
        }
        self.count_out(out, sent_before);
    }

    /// When `on_timers` should next run.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.wheel.next_deadline()
    }

    /// Counters so far.
    pub fn stats(&self) -> &CoreStats {
        &self.stats
    }

    /// Call setup times (INVITE in → 200 out), µs.
    pub fn setup_histogram(&self) -> &hdrhistogram::Histogram<u64> {
        &self.setup_us
    }

    fn next_generation(&mut self) -> u32 {
        self.generation = self.generation.wrapping_add(1);
        self.generation
    }

    /// A token unique to this shard, for tags and branches: `<shard>x<n>`
    /// in hex, built on the stack (no allocation per call).
    fn next_id(&mut self) -> Token {
        self.ids += 1;
        Token::id(self.cfg.shard, self.ids)
    }
}
