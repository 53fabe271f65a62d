//! A shard's link to the RTP relay pool: its stock of bound port pairs,
//! the hand-over of those sockets with the core's media commands, and
//! media events coming back.

use std::io;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use super::app_events::EventOut;
use super::mailbox::ShardMailbox;
use super::report::ShardReport;
use super::rtp_stock::RtpStock;
use crate::core::{CallHandle, Command, MediaCommand, Outbox, ShardCore};
use crate::media::{MediaConfig, MediaEventKind, MediaPool, OpenStream, StreamCommand};

/// What a shard holds of the media pool.
pub(crate) struct MediaLink {
    pub(crate) pool: Arc<MediaPool>,
    hangup_on_timeout: bool,
    stock: RtpStock,
}

impl MediaLink {
    /// The link for a shard whose pairs are bound on `ip`.
    pub(crate) fn new(pool: Arc<MediaPool>, hangup_on_timeout: bool, ip: IpAddr) -> MediaLink {
        let stock = RtpStock::new(pool.ports().clone(), ip);
        MediaLink { pool, hangup_on_timeout, stock }
    }

    /// Tops up the core's stock of bound pairs (after each core step).
    pub(crate) fn refill(&mut self, core: &mut ShardCore) {
        self.stock.refill(core);
    }

    /// Hands the core's media commands to the pool, with the sockets bound
    /// for each opened stream.
    pub(crate) fn forward(&mut self, out: &mut Outbox) {
        for cmd in out.media.drain(..) {
            let cmd = match cmd {
                MediaCommand::Open { call, local_port, remote, payload_type, send, mode, dtmf_pt, srtp } => {
                    let Some(pair) = self.stock.take(local_port) else { continue };
                    let owner = usize::from(call.shard());
                    let fresh = OpenStream::on_pair(call.stream_key(), owner, local_port, pair);
                    StreamCommand::Open(OpenStream {
                        remote,
                        payload_type,
                        send,
                        mode,
                        dtmf_pt,
                        srtp: srtp.map(|k| *k),
                        ..fresh
                    })
                }
                MediaCommand::Rekey { local_port, srtp, .. } => {
                    StreamCommand::Rekey { local_port, srtp: srtp.map(|k| *k) }
                }
                MediaCommand::Direction { local_port, send, .. } => {
                    StreamCommand::Direction { local_port, send }
                }
                MediaCommand::Music { local_port, on, .. } => StreamCommand::Music { local_port, on },
                MediaCommand::Close { local_port, .. } => StreamCommand::Close { local_port },
                MediaCommand::Mode { local_port, mode, .. } => StreamCommand::Mode { local_port, mode },
                MediaCommand::Bridge { local_port, other_port, .. } => {
                    StreamCommand::Bridge { local_port: other_port, partner: local_port }
                }
            };
            self.pool.submit(cmd);
        }
    }

    /// Applies the media events queued for this shard to their calls;
    /// stream reports go to the application's events.
    pub(crate) fn drain_events(
        &self,
        me: &ShardMailbox,
        core: &mut ShardCore,
        now: Instant,
        out: &mut Outbox,
        mut app: Option<(&mut EventOut, &mut ShardReport)>,
    ) {
        while let Some(ev) = me.media_events.pop() {
            let call = CallHandle::from_stream_key(ev.owner as u16, ev.id);
            match ev.kind {
                MediaEventKind::Timeout => {
                    let cmd = Command::MediaTimeout { call, hangup: self.hangup_on_timeout };
                    let _ = core.on_command(now, cmd, out);
                }
                MediaEventKind::Closed(r) => {
                    if let Some((events, local)) = app.as_mut() {
                        events.media_closed(call, r, local);
                    }
                }
                MediaEventKind::Dtmf(p) => {
                    if let Some((events, local)) = app.as_mut() {
                        let duration = std::time::Duration::from_micros(u64::from(p.duration) * 125);
                        events.dtmf(call, p.digit, duration, local);
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
    mailboxes: &Arc<Vec<ShardMailbox>>,
    app_events: bool,
) -> io::Result<MediaPool> {
    let mut cfg = cfg.clone();
    cfg.cores = match shards {
        Some(n) if cores.len() >= n + cfg.threads => cores[n..n + cfg.threads].to_vec(),
        _ => Vec::new(),
    };
    let mailboxes = mailboxes.clone();
    MediaPool::start(
        &cfg,
        Arc::new(move |ev| {
            // Closes are in the pool's totals: the shard needs them (and
            // key presses) only for the application's events.
            let wanted = app_events || ev.kind == MediaEventKind::Timeout;
            if let (Some(p), true) = (mailboxes.get(ev.owner), wanted) {
                p.media_events.push(ev);
                p.wake();
            }
        }),
    )
}
