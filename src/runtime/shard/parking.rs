//! When a shard sleeps. A poll sleeps only when the socket is drained and
//! nothing is queued in the mailbox (whose parked flag then lets producers
//! skip the eventfd write while the shard is awake), and, with a busy-poll
//! window, only once no work has come for that long.

use std::time::{Duration, Instant};

use mio::{Events, Poll};

use crate::runtime::mailbox::ShardMailbox;

/// A shard's sleeping policy.
pub(super) struct Parking {
    /// Poll without sleeping for this long after the last work.
    busy_poll: Option<Duration>,
    /// When a poll last returned events.
    last_work: Instant,
}

impl Parking {
    pub(super) fn new(busy_poll: Option<Duration>, epoch: Instant) -> Parking {
        Parking { busy_poll, last_work: epoch }
    }

    /// One poll of at most `timeout`; `again`: there is work left (no sleep).
    pub(super) fn wait(
        &mut self,
        poll: &mut Poll,
        events: &mut Events,
        me: &ShardMailbox,
        now: Instant,
        timeout: Duration,
        again: bool,
    ) {
        let spin = self.busy_poll.is_some_and(|b| now.saturating_duration_since(self.last_work) < b);
        if timeout.is_zero() || again || spin || !me.park() {
            let _ = poll.poll(events, Some(Duration::ZERO));
        } else {
            let _ = poll.poll(events, Some(timeout));
            me.unpark();
        }
        if !events.is_empty() {
            self.last_work = now;
        }
    }
}
