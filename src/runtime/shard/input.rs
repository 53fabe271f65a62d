//! A shard's input side: datagrams from its socket (each handed to the
//! Call-ID's owner when that is another shard) and hand-offs from other
//! shards' sockets, each fed to the core and timed.

use std::net::UdpSocket;
use std::time::{Duration, Instant};

use super::output::ShardOutput;
use crate::core::{Received, ShardCore};
use crate::runtime::dispatch::{owner_shard, scan_call_id};
use crate::runtime::mailbox::{Handoff, ShardMailbox};
use crate::runtime::report::ShardReport;
use crate::sip::Method;
use crate::transport::BatchReceiver;

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

    /// One batch from the socket; returns how many datagrams it held.
    pub(crate) fn drain_socket(
        &mut self,
        socket: &UdpSocket,
        mailboxes: &[ShardMailbox],
        core: &mut ShardCore,
        output: &mut ShardOutput,
        local: &mut ShardReport,
    ) -> usize {
        let (id, shards) = (self.id, mailboxes.len());
        let (mut handed, mut wake) = (0u64, 0u64);
        let mut batch_at = None;
        let n = self.rx.recv(socket, |from, data| {
            let at = *batch_at.get_or_insert_with(Instant::now);
            let owner = scan_call_id(&data).map_or(id, |cid| owner_shard(cid, shards));
            if owner == id {
                let received = core.on_datagram(Instant::now(), from, data, &mut output.out);
                output.refill_ports(core);
                local.served(at, received == Received::Request(Method::Invite));
            } else if mailboxes[owner].inbox.push(Handoff { from, data, queued: at }).is_ok() {
                handed += 1;
                wake |= 1 << (owner % 64);
            } else {
                local.inbox_drops += 1;
            }
        });
        for (i, m) in mailboxes.iter().enumerate() {
            if wake & (1 << (i % 64)) != 0 {
                m.wake();
            }
        }
        let n = n.unwrap_or(0);
        local.datagrams_in += n as u64;
        local.handoffs_out += handed;
        n
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
            let received = core.on_datagram(now, h.from, h.data, &mut output.out);
            output.refill_ports(core);
            local.served(h.queued, received == Received::Request(Method::Invite));
        }
        if !popped {
            core.set_overloaded(false);
        }
    }
}
