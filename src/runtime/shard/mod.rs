//! One shard thread: poll the sockets (UDP, listeners, connections), the
//! mailbox (hand-offs, writes for its connections, commands, media
//! events) and the clock, feed the core, send what it produced, pace a
//! load plan, stop gracefully (`stopping`).

mod input;
mod output;
mod parking;
mod parts;
mod publish;
mod sockets;
mod stopping;

use std::net::UdpSocket;
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Token};

use super::commands::drain_commands;
use super::load::LoadPacer;
use super::mailbox::ShardMailbox;
use super::report::ShardReport;
use super::streams::{Arrived, StreamSetup, Streams};
use crate::core::{CoreConfig, ShardCore};
use crate::transport::UdpSendMode;
use input::ShardInput;
use output::ShardOutput;
use parking::Parking;
pub(crate) use parts::ShardParts;
use publish::Publisher;
use stopping::Stopping;

const SOCKET: Token = Token(0);
const PUBLISH_EVERY: Duration = Duration::from_millis(200);
const TIMER_SLACK: Duration = Duration::from_millis(5);

pub(crate) struct Shard {
    id: usize,
    socket: Option<UdpSocket>,
    /// How the UDP socket sends: its connected peer (`Config::udp_peer`),
    /// segmentation.
    udp_mode: UdpSendMode,
    /// A UDP read ended in an error: read again next turn (edge-triggered
    /// readiness may not come back).
    udp_again: bool,
    streams: Streams,
    /// Messages framed off connections this turn, to dispatch.
    arrived: Vec<Arrived>,
    poll: Poll,
    mailboxes: Arc<Vec<ShardMailbox>>,
    core: ShardCore,
    input: ShardInput,
    output: ShardOutput,
    publisher: Publisher,
    local: ShardReport,
    stopping: Stopping,
    pacer: Option<LoadPacer>,
    parking: Parking,
}

impl Shard {
    pub(crate) fn new(
        id: usize,
        socket: Option<UdpSocket>,
        streams: StreamSetup,
        poll: Poll,
        cfg: CoreConfig,
        epoch: Instant,
        parts: ShardParts,
    ) -> std::io::Result<Shard> {
        if let Some(socket) = &socket {
            poll.registry().register(&mut SourceFd(&socket.as_raw_fd()), SOCKET, Interest::READABLE)?;
        }
        let streams = Streams::new(id as u16, poll.registry(), streams, epoch)?;
        let linger = cfg.timers.t1x64();
        let mut core = ShardCore::new(cfg, epoch);
        parts.size_tables(&mut core, linger);
        core.set_handler(parts.handler);
        let mut output = ShardOutput::new(parts.events, parts.media);
        output.refill_ports(&mut core);
        let mut udp_mode = socket.as_ref().map(UdpSendMode::of).unwrap_or_default();
        udp_mode.segments &= parts.udp_segments;
        Ok(Shard {
            id,
            udp_mode,
            socket,
            udp_again: true,
            streams,
            arrived: Vec::new(),
            poll,
            mailboxes: parts.mailboxes,
            core,
            input: ShardInput::new(id, parts.max_inbox_delay),
            output,
            publisher: Publisher::new(parts.report),
            local: ShardReport::new(id),
            stopping: Stopping::new(parts.stop),
            pacer: parts.pacer,
            parking: Parking::new(parts.busy_poll, epoch),
        })
    }

    pub(crate) fn run(mut self) {
        let mut events = Events::with_capacity(64);
        let mut last_publish = Instant::now();
        // Timers wait up to TIMER_SLACK for company: SIP timers are
        // hundreds of ms or more, and one wake-up per expiring ms costs a
        // context switch each at moderate call rates. A load generator
        // runs on time.
        let slack = if self.pacer.is_some() { Duration::ZERO } else { TIMER_SLACK };
        loop {
            let now = Instant::now();
            let timers = self.core.next_deadline().map(|d| d + slack);
            let wake = [
                timers,
                self.pacer.as_ref().and_then(|p| p.wake_at()),
                self.streams.next_deadline(now),
                self.stopping.wake_at(),
            ]
            .into_iter()
            .flatten()
            .min();
            let timeout = wake.map_or(PUBLISH_EVERY, |d| d.saturating_duration_since(now)).min(PUBLISH_EVERY);
            let me = &self.mailboxes[self.id];
            self.parking.wait(&mut self.poll, &mut events, me, now, timeout, self.udp_again);
            let udp = self.on_events(&events);
            if udp || std::mem::take(&mut self.udp_again) {
                self.drain_socket();
            }
            self.drain_streams();
            self.drain_inbox();
            self.drain_writes();
            let (core, output) = (&mut self.core, &mut self.output);
            self.local.commands += drain_commands(&self.mailboxes, self.id, core, &mut output.out);
            output.refill_ports(core);
            let now = Instant::now();
            if let Some(m) = &self.output.media {
                let app = self.output.events.as_mut().map(|e| (e, &mut self.local));
                m.drain_events(&self.mailboxes[self.id], &mut self.core, now, &mut self.output.out, app);
            }
            self.core.on_timers(now, &mut self.output.out);
            self.streams.on_timers(now);
            if let Some(p) = &mut self.pacer {
                p.place_due(now, &mut self.core, &mut self.output.out);
                self.output.refill_ports(&mut self.core);
            }
            if self.stopping.active() {
                // Out before this shard may count itself done: what goes
                // on another shard's connection is in that shard's queue
                // before it can see every shard done.
                self.flush();
            }
            let may_leave = self.stopping.step(now, &mut self.core, &mut self.output.out, &self.mailboxes);
            self.flush();
            if may_leave && self.stopping.leave(now, self.output.events_settled()) {
                // What still waits for a media report goes without it;
                // commands from now on are refused at once; what other
                // shards queued for our connections goes out, then they
                // close.
                self.output.expire_events(now, true, &mut self.local);
                self.mailboxes[self.id].close();
                self.drain_writes();
                self.streams.close_all(Instant::now());
                self.publish();
                return;
            }
            if last_publish.elapsed() >= PUBLISH_EVERY {
                self.publish();
                last_publish = Instant::now();
            }
        }
    }

    fn flush(&mut self) {
        let send = output::Senders {
            udp: self.socket.as_ref(),
            udp_mode: &mut self.udp_mode,
            streams: &mut self.streams,
            mailboxes: &self.mailboxes,
        };
        self.output.flush(send, self.id, &mut self.core, &mut self.local);
    }

    fn publish(&mut self) {
        self.output.expire_events(Instant::now(), false, &mut self.local);
        self.local.conns = self.streams.stats;
        self.publisher.publish(&self.core, &self.local, self.stopping.active());
    }

    fn drain_inbox(&mut self) {
        self.input.drain_inbox(&self.mailboxes[self.id], &mut self.core, &mut self.output, &mut self.local);
    }
}
