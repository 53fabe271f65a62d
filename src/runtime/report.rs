//! What a shard publishes for the collector: its core counters, runtime
//! counters and the call-setup histogram. Copied out a few times a second
//! under a cold lock; nothing shared is touched per packet.

use std::time::Instant;

use hdrhistogram::Histogram;

use crate::core::{CoreStats, TableSizes};

/// One shard's (or the merged) view.
#[derive(Debug, Clone)]
pub struct ShardReport {
    /// Shard number (`usize::MAX` for a merge).
    pub shard: usize,
    /// Protocol counters.
    pub core: CoreStats,
    /// Table sizes at publication.
    pub tables: TableSizes,
    /// Datagrams received from the socket.
    pub datagrams_in: u64,
    /// Datagrams handed to another shard.
    pub handoffs_out: u64,
    /// Datagrams received from another shard.
    pub handoffs_in: u64,
    /// Hand-offs dropped because the owner's inbox was full.
    pub inbox_drops: u64,
    /// Datagrams the kernel refused to send.
    pub send_errors: u64,
    /// Application events delivered to the event stream.
    pub events_sent: u64,
    /// Application events dropped because the stream was full.
    pub events_dropped: u64,
    /// Application commands applied.
    pub commands: u64,
    /// TCP/TLS connections: opened, refused, closed by cause, open now.
    pub conns: super::ConnStats,
    /// Setup of the calls we answered (INVITE in → 200 out), µs.
    pub setup_us: Histogram<u64>,
    /// Setup of the calls we placed (INVITE out → 2xx in), µs.
    pub placed_setup_us: Histogram<u64>,
    /// Service time per datagram, ns: received (or handed over) → its
    /// responses queued.
    pub service_ns: Histogram<u64>,
    /// Queueing delay of handed-off datagrams in the owner's inbox, ns.
    pub inbox_delay_ns: Histogram<u64>,
    /// INVITE received (or handed over) → its first response queued
    /// (100 Trying, 180 or the final), ns.
    pub invite_response_ns: Histogram<u64>,
    /// The RTP relay pool's totals (set on the runtime's merged report).
    pub media: crate::media::MediaTotals,
    /// RTP packet received → its echo sent by a media thread, ns (set on
    /// the runtime's merged report).
    pub media_echo_ns: Histogram<u64>,
}

impl ShardReport {
    /// An empty report.
    pub fn new(shard: usize) -> Self {
        ShardReport {
            shard,
            core: CoreStats::default(),
            tables: TableSizes::default(),
            datagrams_in: 0,
            handoffs_out: 0,
            handoffs_in: 0,
            inbox_drops: 0,
            send_errors: 0,
            events_sent: 0,
            events_dropped: 0,
            commands: 0,
            conns: Default::default(),
            media: Default::default(),
            media_echo_ns: crate::metrics::nanos_histogram(),
            setup_us: crate::metrics::latency_histogram(),
            placed_setup_us: crate::metrics::latency_histogram(),
            service_ns: crate::metrics::nanos_histogram(),
            inbox_delay_ns: crate::metrics::nanos_histogram(),
            invite_response_ns: crate::metrics::nanos_histogram(),
        }
    }

    /// Adds another report.
    pub fn merge(&mut self, o: &ShardReport) {
        self.merge_counters(o);
        self.merge_histograms(o);
    }

    /// Adds another report's counters, not its histograms.
    pub fn merge_counters(&mut self, o: &ShardReport) {
        self.core.merge(&o.core);
        self.tables.calls += o.tables.calls;
        self.tables.server_txns += o.tables.server_txns;
        self.tables.client_txns += o.tables.client_txns;
        self.tables.timers += o.tables.timers;
        self.tables.server_txn_room += o.tables.server_txn_room;
        self.datagrams_in += o.datagrams_in;
        self.handoffs_out += o.handoffs_out;
        self.handoffs_in += o.handoffs_in;
        self.inbox_drops += o.inbox_drops;
        self.send_errors += o.send_errors;
        self.events_sent += o.events_sent;
        self.events_dropped += o.events_dropped;
        self.commands += o.commands;
        self.conns.merge(&o.conns);
    }

    /// Adds another report's histograms (same bounds: no allocation).
    pub fn merge_histograms(&mut self, o: &ShardReport) {
        let _ = self.setup_us.add(&o.setup_us);
        let _ = self.placed_setup_us.add(&o.placed_setup_us);
        let _ = self.service_ns.add(&o.service_ns);
        let _ = self.inbox_delay_ns.add(&o.inbox_delay_ns);
        let _ = self.invite_response_ns.add(&o.invite_response_ns);
    }
}

impl ShardReport {
    /// Records a datagram's service time since `since`, ns. An INVITE's is
    /// also its time to first response: the core answers every INVITE (100
    /// Trying, 180 or the final) in the step that reads it.
    pub(crate) fn served(&mut self, since: Instant, invite: bool) {
        self.served_at(since, Instant::now(), invite);
    }

    /// As `served`, with the clock already read.
    pub(crate) fn served_at(&mut self, since: Instant, now: Instant, invite: bool) {
        let ns = now.saturating_duration_since(since).as_nanos() as u64;
        let _ = self.service_ns.record(ns);
        if invite {
            let _ = self.invite_response_ns.record(ns);
        }
    }

    /// Takes another report's counters, keeping the histograms.
    pub(crate) fn copy_counters(&mut self, o: &ShardReport) {
        self.core = o.core;
        self.tables = o.tables;
        self.media = o.media;
        self.copy_runtime_counters(o);
    }

    /// Takes the runtime's own counters from a shard's local report.
    pub(crate) fn copy_runtime_counters(&mut self, local: &ShardReport) {
        self.datagrams_in = local.datagrams_in;
        self.handoffs_out = local.handoffs_out;
        self.handoffs_in = local.handoffs_in;
        self.inbox_drops = local.inbox_drops;
        self.send_errors = local.send_errors;
        self.events_sent = local.events_sent;
        self.events_dropped = local.events_dropped;
        self.commands = local.commands;
        self.conns = local.conns;
    }

    /// Takes the histograms: reset and add, since the bounds match, so no
    /// allocation (a clone would fault in fresh pages every time).
    pub(crate) fn copy_histograms(&mut self, local: &ShardReport, setup: [&Histogram<u64>; 2]) {
        for (to, from) in [
            (&mut self.setup_us, setup[0]),
            (&mut self.placed_setup_us, setup[1]),
            (&mut self.service_ns, &local.service_ns),
            (&mut self.inbox_delay_ns, &local.inbox_delay_ns),
            (&mut self.invite_response_ns, &local.invite_response_ns),
        ] {
            to.reset();
            let _ = to.add(from);
        }
    }
}
