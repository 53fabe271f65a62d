//! Commands from application threads to the shard that owns the call, by
//! a bounded lock-free queue per shard. Each carries whoever waits for its
//! outcome; the shard applies it with `ShardCore::on_command` and, when
//! the core hands half of it to another shard (a bridge), moves it there
//! with its reply. A shard that has stopped takes no more: a command sent
//! after it (or left in its queue) is answered `Stopped` at once.

use std::sync::Arc;
use std::sync::atomic::{Ordering, fence};
use std::time::Instant;

use super::mailbox::ShardMailbox;
use super::reply::ReplyTx;
use crate::core::{Applied, CallHandle, Command, CommandError, Outbox, ShardCore};

/// Who waits for a command's outcome.
#[derive(Debug)]
#[non_exhaustive]
pub enum Reply {
    /// Nobody.
    None,
    /// A command on a call: done or why not.
    Done(ReplyTx<Result<(), CommandError>>),
    /// A call to place: its handle or why not.
    Placed(ReplyTx<Result<CallHandle, CommandError>>),
}

impl Reply {
    /// Sends the outcome (a waiter that gave up is no error).
    pub(crate) fn answer(self, r: Result<Applied, CommandError>) {
        match self {
            Reply::None => {}
            Reply::Done(tx) => tx.send(r.map(|_| ())),
            Reply::Placed(tx) => tx.send(match r {
                Ok(Applied::Placed(h)) => Ok(h),
                Ok(_) => Err(CommandError::BadArgument("not a call to place")),
                Err(e) => Err(e),
            }),
        }
    }
}

/// Sends commands to shards (cheap to clone, usable from any thread).
#[derive(Clone)]
pub struct CommandSender {
    pub(crate) mailboxes: Arc<Vec<ShardMailbox>>,
}

impl CommandSender {
    /// Number of shards.
    pub fn shards(&self) -> usize {
        self.mailboxes.len()
    }

    /// Queues `cmd` for `shard` and wakes it. Refused (and the reply
    /// dropped) when there is no such shard (`UnknownCall`), its queue is
    /// full (`Overloaded`) or it has stopped (`Stopped`).
    pub fn send(&self, shard: usize, cmd: Command, reply: Reply) -> Result<(), CommandError> {
        deliver(&self.mailboxes, shard, cmd, reply).map_err(|(e, _)| e)
    }
}

/// Queues a command with its reply; gives the reply back with the error.
fn deliver(
    mailboxes: &[ShardMailbox],
    shard: usize,
    cmd: Command,
    reply: Reply,
) -> Result<(), (CommandError, Reply)> {
    let Some(m) = mailboxes.get(shard) else { return Err((CommandError::UnknownCall, reply)) };
    if m.is_closed() {
        return Err((CommandError::Stopped, reply));
    }
    if let Err((_, reply)) = m.commands.push((cmd, reply)) {
        return Err((CommandError::Overloaded, reply));
    }
    // The shard may have closed between our check and the push, after its
    // last look at the queue: then nobody else will answer what is there.
    fence(Ordering::SeqCst);
    if m.is_closed() {
        refuse_queued(m);
    }
    m.wake_if_parked();
    Ok(())
}

/// Answers every command still queued for a stopped shard with `Stopped`.
pub(crate) fn refuse_queued(m: &ShardMailbox) {
    while let Some((_, reply)) = m.commands.pop() {
        reply.answer(Err(CommandError::Stopped));
    }
}

/// Applies the commands queued for shard `me`; returns how many.
pub(crate) fn drain_commands(
    mailboxes: &[ShardMailbox],
    me: usize,
    core: &mut ShardCore,
    out: &mut Outbox,
) -> u64 {
    let mut n = 0;
    while let Some((cmd, reply)) = mailboxes[me].commands.pop() {
        n += 1;
        match core.on_command(Instant::now(), cmd, out) {
            Ok(Applied::Forward { shard, command }) => {
                if let Err((e, reply)) = deliver(mailboxes, usize::from(shard), command, reply) {
                    reply.answer(Err(e));
                }
            }
            r => reply.answer(r),
        }
    }
    n
}
