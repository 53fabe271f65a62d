//! One shard thread: poll the socket, the inbox and the application's
//! commands, feed the core, stop gracefully (output: `shard_output`).
//! Just over 200 lines: the loop and its drains are read together.

use std::net::UdpSocket;
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Token};
use parking_lot::Mutex;

use super::app_events::EventOut;
use super::control::drain_controls;
use super::dispatch::{owner_shard, scan_call_id};
use super::inbox::{Handoff, Peer};
use super::media_link::MediaLink;
use super::report::ShardReport;
use crate::core::{CallHandler, Command, CoreConfig, Outbox, ShardCore};
use crate::transport::BatchReceiver;

const SOCKET: Token = Token(0);
const PUBLISH_EVERY: Duration = Duration::from_millis(200);
const TIMER_SLACK: Duration = Duration::from_millis(5);

pub(crate) struct Shard {
    pub(crate) id: usize,
    pub(crate) socket: UdpSocket,
    pub(crate) poll: Poll,
    pub(crate) peers: Arc<Vec<Peer>>,
    pub(crate) core: ShardCore,
    pub(crate) out: Outbox,
    pub(crate) rx: BatchReceiver,
    pub(crate) report: Arc<Mutex<ShardReport>>,
    pub(crate) local: ShardReport,
    pub(crate) publications: u64,
    pub(crate) stop: Arc<AtomicBool>,
    pub(crate) max_inbox_delay: Option<Duration>,
    pub(crate) media: Option<MediaLink>,
    pub(crate) events: Option<EventOut>,
}

impl Shard {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        id: usize,
        socket: UdpSocket,
        poll: Poll,
        peers: Arc<Vec<Peer>>,
        cfg: CoreConfig,
        report: Arc<Mutex<ShardReport>>,
        stop: Arc<AtomicBool>,
        epoch: Instant,
    ) -> std::io::Result<Shard> {
        poll.registry().register(&mut SourceFd(&socket.as_raw_fd()), SOCKET, Interest::READABLE)?;
        let core = ShardCore::new(cfg, epoch);
        let local = ShardReport::new(id);
        Ok(Shard {
            id,
            socket,
            poll,
            peers,
            core,
            out: Outbox::default(),
            rx: BatchReceiver::default(),
            report,
            local,
            publications: 0,
            stop,
            max_inbox_delay: None,
            media: None,
            events: None,
        })
    }

    pub(crate) fn with_max_inbox_delay(mut self, max: Option<Duration>) -> Shard {
        self.max_inbox_delay = max;
        self
    }

    /// The application's handler and event stream.
    pub(crate) fn with_app(mut self, handler: Box<dyn CallHandler>, events: Option<EventOut>) -> Shard {
        self.core.set_handler(handler);
        self.events = events;
        self
    }

    pub(crate) fn with_media(mut self, link: Option<MediaLink>, ip: std::net::IpAddr) -> Shard {
        if let Some(l) = &link {
            self.core.set_rtp_ports(l.ports(ip));
        }
        self.media = link;
        self
    }

    pub(crate) fn run(mut self) {
        let mut events = Events::with_capacity(64);
        let mut last_publish = Instant::now();
        let mut stopping = false;
        // Timers wait up to TIMER_SLACK for company: SIP timers are
        // hundreds of ms or more, and one wake-up per expiring ms costs a
        // context switch each at moderate call rates. A load generator's
        // pacing timer is the exception: it runs on time.
        let slack = if self.core.places_calls() { Duration::ZERO } else { TIMER_SLACK };
        loop {
            let now = Instant::now();
            let timeout =
                self.core.next_deadline().map_or(PUBLISH_EVERY, |d| d.saturating_duration_since(now) + slack);
            let _ = self.poll.poll(&mut events, Some(timeout.min(PUBLISH_EVERY)));
            self.drain_socket();
            self.drain_inbox();
            let pool = self.media.as_ref().map(|m| &*m.pool);
            self.local.commands += drain_controls(&self.peers, self.id, &mut self.core, pool, &mut self.out);
            let now = Instant::now();
            if let Some(m) = &self.media {
                let app = self.events.as_mut().map(|e| (e, &mut self.local));
                m.drain_events(&self.peers[self.id], &mut self.core, now, &mut self.out, app);
            }
            self.core.on_timers(now, &mut self.out);
            if self.stop.load(Ordering::Acquire) && !stopping {
                stopping = true;
                let _ = self.core.on_command(now, Command::Shutdown, &mut self.out);
            }
            self.flush();
            if stopping {
                let deadline = *self.peers[self.id].deadline.lock();
                let done = self.core.table_sizes().calls == 0;
                if done || deadline.is_some_and(|d| now >= d) {
                    let _ = self.core.on_command(now, Command::Abandon, &mut self.out);
                    self.flush();
                    if let Some(e) = &mut self.events {
                        e.expire(now, true, &mut self.local);
                    }
                    self.publish();
                    return;
                }
            }
            if last_publish.elapsed() >= PUBLISH_EVERY {
                self.publish();
                last_publish = Instant::now();
            }
        }
    }

    fn drain_socket(&mut self) {
        let shards = self.peers.len();
        loop {
            let mut handed = 0u64;
            let (core, out, peers, id, local) =
                (&mut self.core, &mut self.out, &self.peers, self.id, &mut self.local);
            let mut wake = 0u64;
            let mut batch_at = None;
            let n = self.rx.recv(&self.socket, |from, data| {
                let at = *batch_at.get_or_insert_with(Instant::now);
                let owner = scan_call_id(&data).map_or(id, |cid| owner_shard(cid, shards));
                if owner == id {
                    let invite = data.starts_with(b"INVITE ");
                    core.on_datagram(Instant::now(), from, data, out);
                    local.served(at, invite);
                } else if peers[owner].inbox.push(Handoff { from, data, queued: at }).is_ok() {
                    handed += 1;
                    wake |= 1 << (owner % 64);
                } else {
                    local.inbox_drops += 1;
                }
            });
            for (i, p) in peers.iter().enumerate() {
                if wake & (1 << (i % 64)) != 0 {
                    p.wake();
                }
            }
            let n = n.unwrap_or(0);
            self.local.datagrams_in += n as u64;
            self.local.handoffs_out += handed;
            if !self.out.datagrams.is_empty() {
                self.flush();
            }
            if n < crate::transport::BATCH_SIZE {
                return;
            }
        }
    }

    /// Serves the hand-offs. Each one's wait in the inbox drives the
    /// overload signal: over the threshold, new INVITEs get 503 until a
    /// hand-off comes through in time again or the inbox runs dry.
    fn drain_inbox(&mut self) {
        let mut popped = false;
        while let Some(h) = self.peers[self.id].inbox.pop() {
            popped = true;
            self.local.handoffs_in += 1;
            let now = Instant::now();
            let delay = now.saturating_duration_since(h.queued);
            let _ = self.local.inbox_delay_ns.record(delay.as_nanos() as u64);
            if let Some(max) = self.max_inbox_delay {
                self.core.set_overloaded(delay > max);
            }
            let invite = h.data.starts_with(b"INVITE ");
            self.core.on_datagram(now, h.from, h.data, &mut self.out);
            self.local.served(h.queued, invite);
        }
        if !popped {
            self.core.set_overloaded(false);
        }
    }
}
