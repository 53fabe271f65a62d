//! A shard's input side: datagrams from its socket and messages framed
//! off its connections (each handed to the Call-ID's owner when that is
//! another shard) and hand-offs from other shards, each fed to the core
//! and timed.

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use super::output::ShardOutput;
use crate::core::{Received, ShardCore};
use crate::runtime::dispatch::{owner_shard, scan_call_id};
use crate::runtime::mailbox::{Handoff, ShardMailbox};
use crate::runtime::report::ShardReport;
use crate::sip::Method;
use crate::transport::BatchReceiver;
use crate::txn::Peer;
use bytes::Bytes;

/// The receiving half of a shard.
pub(crate) struct ShardInput {
    id: usize,
    rx: BatchReceiver,
    max_inbox_delay: Option<Duration>,
}

impl ShardInput {
    pub(crate) fn new(id: usize, max_inbox_delay: Option<Duration>) -> ShardInput {
        ShardInput { id, rx: BatchReceiver::default(), max_inbox_delay }
    }

    /// One batch from the socket; returns how many datagrams it held and
    /// whether the read failed (an ICMP error, say: read again).
    pub(crate) fn drain_socket(
        &mut self,
        socket: &UdpSocket,
        mailboxes: &[ShardMailbox],
        core: &mut ShardCore,
        output: &mut ShardOutput,
        local: &mut ShardReport,
    ) -> (usize, bool) {
        let (id, shards) = (self.id, mailboxes.len());
        let (mut handed, mut wake) = (0u64, 0u64);
        // One clock reading per datagram: the end of one step is the
        // start of the next; service time counts from the batch's arrival.
        let mut clock: Option<(Instant, Instant)> = None;
        let n = self.rx.recv(socket, |from, data| {
            let (at, now) = *clock.get_or_insert_with(|| {
                let t = Instant::now();
                (t, t)
            });
            let owner = scan_call_id(&data).map_or(id, |cid| owner_shard(cid, shards));
            if owner == id {
                let received = core.on_datagram(now, from, data, &mut output.out);
                output.refill_ports(core);
                let done = Instant::now();
                local.served_at(at, done, received == Received::Request(Method::Invite));
                clock = Some((at, done));
            } else if mailboxes[owner].inbox.push(Handoff { from: from.into(), data, queued: at }).is_ok() {
                handed += 1;
                wake |= 1 << (owner % 64);
            } else {
                local.inbox_drops += 1;
            }
        });
        for (i, m) in mailboxes.iter().enumerate() {
            if wake & (1 << (i % 64)) != 0 {
                m.wake_if_parked();
            }
        }
        let (n, failed) = match n {
            Ok(n) => (n, false),
            Err(_) => (0, true),
        };
        local.datagrams_in += n as u64;
        local.handoffs_out += handed;
        (n, failed)
    }

    /// Messages framed off connections: each to its Call-ID's owner.
    pub(crate) fn dispatch_stream(
        &mut self,
        arrived: &mut Vec<(Peer, Bytes)>,
        mailboxes: &[ShardMailbox],
        core: &mut ShardCore,
        output: &mut ShardOutput,
        local: &mut ShardReport,
    ) {
        let (id, shards) = (self.id, mailboxes.len());
        let at = Instant::now();
        for (from, data) in arrived.drain(..) {
            let owner = scan_call_id(&data).map_or(id, |cid| owner_shard(cid, shards));
            if owner == id {
                let received = core.on_message(Instant::now(), from, data, &mut output.out);
                output.refill_ports(core);
                local.served(at, received == Received::Request(Method::Invite));
            } else if mailboxes[owner].inbox.push(Handoff { from, data, queued: at }).is_ok() {
                local.handoffs_out += 1;
                mailboxes[owner].wake_if_parked();
            } else {
                local.inbox_drops += 1;
            }
        }
    }

    /// Serves the hand-offs. Each one's wait in the inbox drives the
    /// overload signal: over the threshold, new INVITEs get 503 until a
    /// hand-off comes through in time again or the inbox runs dry.
    pub(crate) fn drain_inbox(
        &mut self,
        me: &ShardMailbox,
        core: &mut ShardCore,
        output: &mut ShardOutput,
        local: &mut ShardReport,
    ) {
        let mut popped = false;
        while let Some(h) = me.inbox.pop() {
            popped = true;
            local.handoffs_in += 1;
            let now = Instant::now();
            let delay = now.saturating_duration_since(h.queued);
            let _ = local.inbox_delay_ns.record(delay.as_nanos() as u64);
            if let Some(max) = self.max_inbox_delay {
                core.set_overloaded(delay > max);
            }
            let received = core.on_message(now, h.from, h.data, &mut output.out);
            output.refill_ports(core);
            local.served(h.queued, received == Received::Request(Method::Invite));
        }
        if !popped {
            core.set_overloaded(false);
        }
    }
}
