//! Commands from application threads to the shard that owns the call, by
//! a bounded lock-free queue per shard; each may carry a reply channel the
//! application can wait on or drop.

use std::sync::Arc;
use std::time::Instant;

use crossbeam::channel::Sender;

use super::inbox::Peer;
use crate::core::{CallId, Command, CommandError, Outbox, ShardCore};
use crate::dialog::CallHandle;
use crate::media::MediaPool;

/// Where a command's outcome goes (None: nobody waits).
pub type Reply = Option<Sender<Result<(), CommandError>>>;

/// Where a new call's id goes.
pub type CallReply = Sender<Result<CallId, CommandError>>;

/// Work for one shard from the application.
#[derive(Debug)]
pub enum Control {
    /// A call command.
    Call(Command, Reply),
    /// Bridge `a` (on this shard) with `b`: this shard finds `a`'s RTP
    /// port and passes the rest to `b`'s shard.
    Bridge {
        /// The call on this shard.
        a: CallHandle,
        /// The other call.
        b: CallId,
        /// Outcome.
        reply: Reply,
    },
    /// Send INFO with this body in the call.
    Info {
        /// The call on this shard.
        call: CallHandle,
        /// The body's media type.
        content_type: String,
        /// The body.
        body: bytes::Bytes,
        /// Outcome.
        reply: Reply,
    },
    /// Transfer the call's peer to `target` (REFER).
    Transfer {
        /// The call on this shard.
        call: CallHandle,
        /// The URI the peer should call.
        target: String,
        /// Outcome.
        reply: Reply,
    },
    /// Place a call from this shard (UAC role).
    Place {
        /// The call.
        call: Box<crate::core::OutgoingCall>,
        /// Its id, or why it could not be placed.
        reply: CallReply,
    },
    /// Second half of a bridge: `b` is on this shard.
    BridgeTo {
        /// The call on this shard.
        b: CallHandle,
        /// The first call's RTP port.
        port_a: u16,
        /// Outcome.
        reply: Reply,
    },
}

/// Sends controls to shards (cheap to clone, usable from any thread).
#[derive(Clone)]
pub struct ControlSender {
    pub(crate) peers: Arc<Vec<Peer>>,
}

impl ControlSender {
    /// Number of shards.
    pub fn shards(&self) -> usize {
        self.peers.len()
    }

    /// Queues `c` for `shard` and wakes it; gives it back when the queue
    /// is full (or there is no such shard).
    pub fn send(&self, shard: usize, c: Control) -> Result<(), Control> {
        let Some(p) = self.peers.get(shard) else { return Err(c) };
        p.controls.push(c)?;
        p.wake();
        Ok(())
    }
}

fn answer(reply: Reply, r: Result<(), CommandError>) {
    if let Some(tx) = reply {
        let _ = tx.send(r);
    }
}

/// Applies the controls queued for shard `me`; returns how many.
pub(crate) fn drain_controls(
    peers: &[Peer],
    me: usize,
    core: &mut ShardCore,
    media: Option<&MediaPool>,
    out: &mut Outbox,
) -> u64 {
    let mut n = 0;
    while let Some(c) = peers[me].controls.pop() {
        n += 1;
        let now = Instant::now();
        match c {
            Control::Call(cmd, reply) => answer(reply, core.on_command(now, cmd, out)),
            Control::Info { call, content_type, body, reply } => {
                answer(reply, core.send_info(now, call, &content_type, &body, out))
            }
            Control::Transfer { call, target, reply } => {
                answer(reply, core.transfer(now, call, &target, out))
            }
            Control::Place { call, reply } => {
                let placed = core.place_call(now, &call, out).map(|h| CallId::new(me as u16, h));
                let _ = reply.send(placed);
            }
            Control::Bridge { a, b, reply } => {
                let port_a =
                    match core.media_port(a).and_then(|p| media.map(|_| p).ok_or(CommandError::NoMedia)) {
                        Ok(p) => p,
                        Err(e) => {
                            answer(reply, Err(e));
                            continue;
                        }
                    };
                let next = Control::BridgeTo { b: b.handle, port_a, reply };
                let refused = match peers.get(usize::from(b.shard)) {
                    None => Some((next, CommandError::UnknownCall)),
                    Some(p) => match p.controls.push(next) {
                        Ok(()) => {
                            p.wake();
                            None
                        }
                        Err(next) => Some((next, CommandError::Overloaded)),
                    },
                };
                if let Some((Control::BridgeTo { reply, .. }, e)) = refused {
                    answer(reply, Err(e));
                }
            }
            Control::BridgeTo { b, port_a, reply } => match (core.media_port(b), media) {
                (Ok(port_b), Some(pool)) if port_b != port_a => {
                    pool.bridge(port_a, port_b);
                    answer(reply, Ok(()));
                }
                (Ok(_), Some(_)) => answer(reply, Err(CommandError::SameCall)),
                (Ok(_), None) => answer(reply, Err(CommandError::NoMedia)),
                (Err(e), _) => answer(reply, Err(e)),
            },
        }
    }
    n
}
