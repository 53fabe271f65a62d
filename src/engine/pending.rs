//! A command's outcome to come: wait for it on a thread (with or without
//! a limit) or, with the `async` feature, `.await` it on any executor.

use std::task::{Context, Poll};
use std::time::Duration;

use super::error::{Error, Result};
use crate::core::{CallHandle, CommandError};
use crate::runtime::{ReplyError, ReplyRx};

type Sent<T> = std::result::Result<ReplyRx<std::result::Result<T, CommandError>>, CommandError>;

/// An outcome to come, or the error that kept the command from being
/// queued; taken once.
#[derive(Debug)]
struct Outcome<T>(Option<Sent<T>>);

impl<T> Outcome<T> {
    fn wait(&mut self, limit: Option<Duration>) -> Result<T> {
        match self.0.take() {
            Some(Ok(rx)) => reply(match limit {
                Some(l) => rx.wait_timeout(l),
                None => rx.wait(),
            }),
            Some(Err(e)) => Err(e.into()),
            None => Err(CommandError::Stopped.into()),
        }
    }

    #[cfg_attr(not(feature = "async"), allow(dead_code))]
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let r = match self.0.as_mut() {
            Some(Ok(rx)) => match rx.poll_reply(cx) {
                Poll::Ready(r) => reply(r),
                Poll::Pending => return Poll::Pending,
            },
            Some(Err(e)) => Err((*e).into()),
            None => Err(CommandError::Stopped.into()),
        };
        self.0 = None;
        Poll::Ready(r)
    }
}

/// A reply as the API's result.
fn reply<T>(r: std::result::Result<std::result::Result<T, CommandError>, ReplyError>) -> Result<T> {
    match r {
        Ok(r) => r.map_err(Error::from),
        Err(ReplyError::Timeout) => Err(Error::Timeout),
        // Nobody will answer: the shard stopped before it applied it.
        Err(ReplyError::Dropped) => Err(CommandError::Stopped.into()),
    }
}

/// The outcome of a command, once its shard has applied it. A command
/// refused before it was queued (a bad argument, a stopped engine, a full
/// queue) holds its error already: waiting returns it at once. Dropping
/// it is fine: the command is applied all the same.
#[derive(Debug)]
#[must_use = "it says whether the command was applied: wait for it, or drop it knowingly"]
pub struct Pending(Outcome<()>);

impl Pending {
    pub(crate) fn new(sent: Sent<()>) -> Pending {
        Pending(Outcome(Some(sent)))
    }

    /// Waits for the outcome.
    pub fn wait(mut self) -> Result<()> {
        self.0.wait(None)
    }

    /// Waits at most `limit` for the outcome (`Error::Timeout` past it;
    /// the command may still be applied).
    pub fn wait_timeout(mut self, limit: Duration) -> Result<()> {
        self.0.wait(Some(limit))
    }
}

/// A call being placed: its handle once the shard has sent the INVITE.
#[derive(Debug)]
#[must_use = "the call's handle (or why it was not placed) comes through it"]
pub struct PendingCall(Outcome<CallHandle>);

impl PendingCall {
    pub(crate) fn new(sent: Sent<CallHandle>) -> PendingCall {
        PendingCall(Outcome(Some(sent)))
    }

    /// Waits for the call's handle (the INVITE is on its way).
    pub fn wait(mut self) -> Result<CallHandle> {
        self.0.wait(None)
    }

    /// Waits at most `limit` for the call's handle.
    pub fn wait_timeout(mut self, limit: Duration) -> Result<CallHandle> {
        self.0.wait(Some(limit))
    }
}

/// `.await` the outcome on any executor: the shard wakes the task.
#[cfg(feature = "async")]
impl std::future::Future for Pending {
    type Output = Result<()>;
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        self.0.poll(cx)
    }
}

/// `.await` the call's handle on any executor.
#[cfg(feature = "async")]
impl std::future::Future for PendingCall {
    type Output = Result<CallHandle>;
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<CallHandle>> {
        self.0.poll(cx)
    }
}
