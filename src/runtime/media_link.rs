//! A shard's link to the RTP relay pool: the port source that binds each
//! pair while the SDP answer is written, the hand-over of the bound
//! sockets with the core's media commands, and media events coming back.

use std::any::Any;
use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, UdpSocket};
use std::sync::Arc;
use std::time::Instant;

use super::app_events::EventOut;
use super::inbox::Peer;
use super::report::ShardReport;
use crate::core::{CallId, Command, Event, EventKind, MediaCommand, Outbox, RtpPorts, ShardCore};
use crate::dialog::CallHandle;
use crate::media::{MediaConfig, MediaEventKind, MediaPool, OpenStream, PortPool, StreamCommand, bind_pair};

/// Pairs tried per call before it is refused: a port another program
/// holds goes back to the end of the list.
const BIND_TRIES: usize = 8;

/// Takes pairs from the pool's free list and binds them at once.
pub(crate) struct BoundPorts {
    free: Arc<PortPool>,
    ip: IpAddr,
    bound: HashMap<u16, (UdpSocket, UdpSocket)>,
    pub(crate) bind_failures: u64,
}

impl RtpPorts for BoundPorts {
    fn acquire(&mut self) -> Option<u16> {
        for _ in 0..BIND_TRIES {
            let port = self.free.acquire()?;
            match bind_pair(self.ip, port) {
                Ok(pair) => {
                    self.bound.insert(port, pair);
                    return Some(port);
                }
                Err(_) => {
                    self.bind_failures += 1;
                    self.free.release(port);
                }
            }
        }
        None
    }

    fn release(&mut self, port: u16) {
        // Closing the sockets first: only then is the pair free.
        if self.bound.remove(&port).is_some() {
            self.free.release(port);
        }
    }
}

/// A call handle as the media layer's opaque stream key.
fn stream_id(h: CallHandle) -> u64 {
    (u64::from(h.slot) << 32) | u64::from(h.generation)
}

fn call_of(id: u64) -> CallHandle {
    CallHandle { slot: (id >> 32) as u32, generation: id as u32 }
}

/// What a shard holds of the media pool.
pub(crate) struct MediaLink {
    pub(crate) pool: Arc<MediaPool>,
    pub(crate) hangup_on_timeout: bool,
}

impl MediaLink {
    /// The port source for this shard's core.
    pub(crate) fn ports(&self, ip: IpAddr) -> Box<dyn RtpPorts> {
        Box::new(BoundPorts { free: self.pool.ports().clone(), ip, bound: HashMap::new(), bind_failures: 0 })
    }

    /// Hands the core's media commands to the pool, with the sockets bound
    /// for each opened stream.
    pub(crate) fn forward(&self, core: &mut ShardCore, out: &mut Outbox, owner: usize) {
        for cmd in out.media.drain(..) {
            let cmd = match cmd {
                MediaCommand::Open { call, local_port, remote, payload_type, send, mode, dtmf_pt } => {
                    let ports = core.rtp_ports_mut() as &mut dyn Any;
                    let Some(pair) =
                        ports.downcast_mut::<BoundPorts>().and_then(|b| b.bound.remove(&local_port))
                    else {
                        continue;
                    };
                    let fresh = OpenStream::on_pair(stream_id(call), owner, local_port, pair);
                    StreamCommand::Open(OpenStream { remote, payload_type, send, mode, dtmf_pt, ..fresh })
                }
                MediaCommand::Direction { local_port, send, .. } => {
                    StreamCommand::Direction { local_port, send }
                }
                MediaCommand::Close { local_port, .. } => StreamCommand::Close { local_port },
                MediaCommand::Mode { local_port, mode, .. } => StreamCommand::Mode { local_port, mode },
            };
            self.pool.submit(cmd);
        }
    }

    /// Applies the media events queued for this shard to their calls;
    /// stream reports go to the application's events.
    pub(crate) fn drain_events(
        &self,
        me: &Peer,
        core: &mut ShardCore,
        now: Instant,
        out: &mut Outbox,
        mut app: Option<(&mut EventOut, &mut ShardReport)>,
    ) {
        while let Some(ev) = me.media_events.pop() {
            match ev.kind {
                MediaEventKind::Timeout => {
                    let cmd = Command::MediaTimeout { call: call_of(ev.id), hangup: self.hangup_on_timeout };
                    let _ = core.on_command(now, cmd, out);
                }
                MediaEventKind::Closed(r) => {
                    if let Some((events, local)) = app.as_mut() {
                        events.media_closed(ev.owner as u16, call_of(ev.id), r, local);
                    }
                }
                MediaEventKind::Dtmf(p) => {
                    if let Some((events, local)) = app.as_mut() {
                        let duration = std::time::Duration::from_micros(u64::from(p.duration) * 125);
                        let kind = EventKind::Dtmf { digit: p.digit, duration };
                        events.deliver(
                            Event { call: CallId::new(ev.owner as u16, call_of(ev.id)), kind },
                            local,
                        );
                    }
                }
            }
        }
    }
}

/// Starts the media pool; its events go to the owning shard's queue. The
/// threads take the cores after the shards' when there are enough.
pub(crate) fn start_media(
    cfg: &MediaConfig,
    cores: &[core_affinity::CoreId],
    shards: Option<usize>,
    peers: &Arc<Vec<Peer>>,
    app_events: bool,
) -> io::Result<MediaPool> {
    let mut cfg = cfg.clone();
    cfg.cores = match shards {
        Some(n) if cores.len() >= n + cfg.threads => cores[n..n + cfg.threads].to_vec(),
        _ => Vec::new(),
    };
    let peers = peers.clone();
    MediaPool::start(
        &cfg,
        Arc::new(move |ev| {
            // Closes are in the pool's totals: the shard needs them (and
            // key presses) only for the application's events.
            let wanted = app_events || ev.kind == MediaEventKind::Timeout;
            if let (Some(p), true) = (peers.get(ev.owner), wanted) {
                p.media_events.push(ev);
                p.wake();
            }
        }),
    )
}
