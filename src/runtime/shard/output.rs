//! A shard's output side: what one core step produced, sent after it —
//! datagrams in batches, stream messages on their connections (a failed
//! send goes back to the call its transmit names, on whichever shard owns
//! it), the application's events, media commands with their bound sockets.

use std::net::UdpSocket;
use std::time::Instant;

use crate::core::{CallHandle, Outbox, ShardCore, Transmit};
use crate::runtime::app_events::EventOut;
use crate::runtime::mailbox::ShardMailbox;
use crate::runtime::media_link::MediaLink;
use crate::runtime::report::ShardReport;
use crate::runtime::streams::Streams;
use crate::sip::Transport;
use crate::transport::{UdpSendMode, send_batch};

/// Rounds of sending what reporting failures produced in turn.
const FAILURE_ROUNDS: usize = 4;

/// Where a shard's messages go.
pub(crate) struct Senders<'a> {
    pub(crate) udp: Option<&'a UdpSocket>,
    /// How the UDP socket sends.
    pub(crate) udp_mode: &'a mut UdpSendMode,
    pub(crate) streams: &'a mut Streams,
    pub(crate) mailboxes: &'a [ShardMailbox],
}

/// Where a shard's core steps go.
pub(crate) struct ShardOutput {
    pub(crate) out: Outbox,
    pub(crate) events: Option<EventOut>,
    pub(crate) media: Option<MediaLink>,
    udp: Vec<Transmit>,
}

impl ShardOutput {
    pub(crate) fn new(events: Option<EventOut>, media: Option<MediaLink>) -> ShardOutput {
        ShardOutput { out: Outbox::default(), events, media, udp: Vec::new() }
    }

    /// After a core step that may have taken an RTP port: the stock is
    /// topped up before the next one.
    pub(crate) fn refill_ports(&mut self, core: &mut ShardCore) {
        if let Some(m) = &mut self.media {
            m.refill(core);
        }
    }

    /// Sends and hands over everything queued, then empties the outbox.
    pub(crate) fn flush(
        &mut self,
        mut to: Senders<'_>,
        me: usize,
        core: &mut ShardCore,
        local: &mut ShardReport,
    ) {
        let now = Instant::now();
        for _ in 0..FAILURE_ROUNDS {
            if self.out.transmits.is_empty() && to.streams.failures.is_empty() {
                break;
            }
            let mut failed = std::mem::take(&mut to.streams.failures);
            self.send(&mut to, now, &mut failed, local);
            to.streams.flush(now);
            failed.append(&mut to.streams.failures);
            for (call, why) in failed {
                report_failure(call, why, me, to.mailboxes, core, &mut self.out, now);
            }
        }
        // Messages queued on connections outside a core step (other
        // shards' writes, pongs, handshakes) go out too.
        to.streams.flush(now);
        if !self.out.released.is_empty() {
            to.streams.release(now, &self.out.released);
        }
        if let Some(e) = &mut self.events {
            e.take(&mut self.out.events, local);
        }
        if let Some(m) = &mut self.media {
            m.forward(&mut self.out);
        }
        self.out.clear();
    }

    /// No Terminated event waits for its stream's report.
    pub(crate) fn events_settled(&self) -> bool {
        self.events.as_ref().is_none_or(EventOut::settled)
    }

    /// Datagrams in batches (the usual case: all of them); stream messages
    /// to their connections.
    fn send(
        &mut self,
        to: &mut Senders<'_>,
        now: Instant,
        failed: &mut Vec<(CallHandle, String)>,
        local: &mut ShardReport,
    ) {
        let mut transmits = std::mem::take(&mut self.out.transmits);
        let batch = if transmits.iter().all(|t| t.to.transport == Transport::Udp) {
            &mut transmits
        } else {
            for t in transmits.drain(..) {
                if t.to.transport == Transport::Udp {
                    self.udp.push(t);
                } else {
                    to.streams.send(now, t, to.mailboxes);
                }
            }
            &mut self.udp
        };
        if !batch.is_empty() {
            let errors = match to.udp {
                Some(socket) => send_batch(socket, to.udp_mode, batch),
                None => (0..batch.len()).map(|i| (i, std::io::ErrorKind::Unsupported.into())).collect(),
            };
            local.send_errors += errors.len() as u64;
            for (i, e) in errors {
                if let Some(call) = batch.get(i).and_then(|t| t.call) {
                    failed.push((call, e.to_string()));
                }
            }
        }
        batch.clear();
        transmits.clear();
        self.out.transmits = transmits;
    }

    /// Terminated events whose stream report is late (or, at exit, all)
    /// go out without it.
    pub(crate) fn expire_events(&mut self, now: Instant, all: bool, local: &mut ShardReport) {
        if let Some(e) = &mut self.events {
            e.expire(now, all, local);
        }
    }
}

/// A call's message could not be sent: its shard's core hears of it.
fn report_failure(
    call: CallHandle,
    why: String,
    me: usize,
    mailboxes: &[ShardMailbox],
    core: &mut ShardCore,
    out: &mut Outbox,
    now: Instant,
) {
    let owner = usize::from(call.shard());
    if owner == me {
        core.on_send_failure(now, call, &why, out);
    } else if let Some(m) = mailboxes.get(owner) {
        m.send_failures.push((call, why));
        m.wake();
    }
}
