//! Commands from application threads to the shard that owns the call, by
//! a bounded lock-free queue per shard. Each carries whoever waits for its
//! outcome; the shard applies it with `ShardCore::on_command` and, when
//! the core hands half of it to another shard (a bridge), moves it there
//! with its reply.

use std::sync::Arc;
use std::time::Instant;

use crossbeam::channel::Sender;

use super::mailbox::ShardMailbox;
use crate::core::{Applied, CallHandle, Command, CommandError, Outbox, ShardCore};

/// Who waits for a command's outcome.
#[derive(Debug)]
pub enum Reply {
    /// Nobody.
    None,
    /// A command on a call: done or why not.
    Done(Sender<Result<(), CommandError>>),
    /// A call to place: its handle or why not.
    Placed(Sender<Result<CallHandle, CommandError>>),
}

impl Reply {
    /// Sends the outcome (a waiter that gave up is no error).
    pub(crate) fn answer(self, r: Result<Applied, CommandError>) {
        match self {
            Reply::None => {}
            Reply::Done(tx) => {
                let _ = tx.send(r.map(|_| ()));
            }
            Reply::Placed(tx) => {
                let placed = match r {
                    Ok(Applied::Placed(h)) => Ok(h),
                    Ok(_) => Err(CommandError::BadArgument("not a call to place")),
                    Err(e) => Err(e),
                };
                let _ = tx.send(placed);
            }
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

    /// Queues `cmd` for `shard` and wakes it; gives it back when the queue
    /// is full (or there is no such shard).
    pub fn send(&self, shard: usize, cmd: Command, reply: Reply) -> Result<(), (Command, Reply)> {
        deliver(&self.mailboxes, shard, cmd, reply)
    }
}

fn deliver(
    mailboxes: &[ShardMailbox],
    shard: usize,
    cmd: Command,
    reply: Reply,
) -> Result<(), (Command, Reply)> {
    let Some(m) = mailboxes.get(shard) else { return Err((cmd, reply)) };
    m.commands.push((cmd, reply))?;
    m.wake();
    Ok(())
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
                let shard = usize::from(shard);
                if let Err((_, reply)) = deliver(mailboxes, shard, command, reply) {
                    let e = if shard < mailboxes.len() {
                        CommandError::Overloaded
                    } else {
                        CommandError::UnknownCall
                    };
                    reply.answer(Err(e));
                }
            }
            r => reply.answer(r),
        }
    }
    n
}
