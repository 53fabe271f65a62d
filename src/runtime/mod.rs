//! Threads around the sans-IO core: `N` pinned shards, each with its own
//! SO_REUSEPORT sockets (UDP, TCP and TLS listeners), mio poll, inbox and
//! `ShardCore`; messages that land on the wrong shard are handed to the
//! Call-ID's owner by a lock-free queue, without copying. A TCP/TLS
//! connection belongs to the shard that accepted or opened it
//! (`streams`); what must go out on it comes back to that shard.

mod app_events;
mod bind;
mod commands;
mod config;
mod dispatch;
mod event_channel;
mod load;
mod mailbox;
mod media_link;
mod published;
mod reply;
mod report;
mod report_handle;
mod rtp_stock;
mod shard;
mod stop;
mod streams;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

pub use commands::{CommandSender, Reply};
pub use config::{RuntimeConfig, UdpSettings};
pub use dispatch::{call_id_hash, owner_shard, scan_call_id};
pub use event_channel::{EventSender, Events, event_channel};
pub use load::{LoadPacer, LoadPlan};
pub use reply::{ReplyError, ReplyRx, ReplyTx, reply_channel};
pub use report::ShardReport;
pub use report_handle::ReportHandle;
pub use streams::{ConnStats, ConnectionReuse, StreamLimits};

use crate::core::{CoreConfig, RtpPortSource};
use crate::media::MediaPool;
use crate::sip::Transport;
use mailbox::ShardMailbox;
use shard::{Shard, ShardParts};
pub use stop::DROP_GRACE;
use stop::Stop;
use streams::StreamSetup;

/// Running shards. Dropped while running, it stops as
/// [`Runtime::shutdown`] does with [`DROP_GRACE`] and joins its threads.
pub struct Runtime {
    threads: Vec<JoinHandle<()>>,
    reports: Vec<Arc<Mutex<ShardReport>>>,
    mailboxes: Arc<Vec<ShardMailbox>>,
    stop: Arc<Stop>,
    media: Option<Arc<MediaPool>>,
    started: Instant,
    /// The primary address actually bound (port 0 resolved).
    pub local: SocketAddr,
    /// Every (transport, address) bound, port 0 resolved.
    pub locals: Vec<(Transport, SocketAddr)>,
}

impl Runtime {
    /// Binds every shard's socket and starts the threads; calls are
    /// decided by the configured policy. An address another socket holds
    /// (another engine, another process) is refused with `AddrInUse`,
    /// naming it.
    pub fn start(cfg: RuntimeConfig) -> io::Result<Runtime> {
        let policy = cfg.core.policy;
        Runtime::start_with(cfg, |_| Box::new(crate::core::PolicyHandler::new(policy)))
    }

    /// The same, with a handler per shard from `handler(shard)`.
    pub fn start_with(
        cfg: RuntimeConfig,
        mut handler: impl FnMut(usize) -> Box<dyn crate::core::CallHandler>,
    ) -> io::Result<Runtime> {
        let shards = cfg.shards.max(1);
        let (sockets, locals) = bind::bind_shards(&cfg, shards)?;
        let local = locals.first().map(|l| l.1).ok_or(io::ErrorKind::InvalidInput)?;
        let core = bind::with_locals(cfg.core.clone(), &locals);
        let polls: Vec<mio::Poll> = (0..shards).map(|_| mio::Poll::new()).collect::<io::Result<_>>()?;
        let mailboxes: Vec<ShardMailbox> =
            polls.iter().map(|p| ShardMailbox::new(p, cfg.inbox_capacity)).collect::<io::Result<_>>()?;
        let mailboxes = Arc::new(mailboxes);
        let stop = Arc::new(Stop::new(shards));
        let cores = core_affinity::get_core_ids().unwrap_or_default();
        let pin = cfg.pin && cores.len() >= shards;
        let media = match &cfg.media {
            Some(m) => {
                let closes = cfg.events.is_some();
                let pin = cfg.pin.then_some(shards);
                Some(Arc::new(media_link::start_media(m, &cores, pin, &mailboxes, closes)?))
            }
            None => None,
        };
        let started = Instant::now();
        let mut threads = Vec::new();
        let mut reports = Vec::new();
        for (id, (socket, poll)) in sockets.into_iter().zip(polls).enumerate() {
            let report = Arc::new(Mutex::new(ShardReport::new(id)));
            reports.push(report.clone());
            let events = cfg.events.clone().map(|tx| app_events::EventOut::new(tx, media.is_some()));
            let core_cfg = CoreConfig {
                shard: id as u16,
                shards: shards as u16,
                events: events.is_some(),
                rtp_ports: if media.is_some() { RtpPortSource::Stock } else { cfg.core.rtp_ports },
                ..core.clone()
            };
            let parts = ShardParts {
                mailboxes: mailboxes.clone(),
                report,
                stop: stop.clone(),
                max_inbox_delay: cfg.max_inbox_delay,
                handler: handler(id),
                events,
                media: media.as_ref().map(|pool| {
                    media_link::MediaLink::new(pool.clone(), cfg.media_timeout_hangup, cfg.core.media_addr)
                }),
                pacer: cfg.load.as_ref().map(|l| LoadPacer::new(l.share(id, shards), started)),
                busy_poll: cfg.busy_poll,
                udp_segments: cfg.udp.segments,
                expected_rate: cfg.expected_rate.map(|r| r / shards as f64),
            };
            let streams = StreamSetup::for_shard(&cfg, shards, socket.tcp, socket.tls);
            let shard = Shard::new(id, socket.udp, streams, poll, core_cfg, started, parts)?;
            let core_id = pin.then(|| cores[id]);
            let t = std::thread::Builder::new().name(format!("shard-{id}")).spawn(move || {
                if let Some(c) = core_id {
                    core_affinity::set_for_current(c);
                }
                shard.run();
            })?;
            threads.push(t);
        }
        Ok(Runtime { threads, reports, mailboxes, stop, media, started, local, locals })
    }

    /// Sends application commands to the shards.
    pub fn commands(&self) -> CommandSender {
        CommandSender { mailboxes: self.mailboxes.clone() }
    }

    /// Time since start.
    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }
}
