//! One shard's way through the engine's graceful stop: refuse new calls
//! (from a drain on, or from the stop), end its own (BYE, 503, CANCEL), count itself done when none is
//! left, go on receiving and handing off until every shard is done or the
//! deadline passes (then end what is left, as ended by shutdown), and
//! leave once its calls' media reports are out.

use std::sync::Arc;
use std::time::Instant;

use crate::core::{Command, Outbox, ShardCore};
use crate::runtime::app_events::MEDIA_REPORT_WAIT;
use crate::runtime::mailbox::ShardMailbox;
use crate::runtime::stop::Stop;

/// Where a shard stands in the stop.
pub(super) struct Stopping {
    stop: Arc<Stop>,
    drained: bool,
    started: bool,
    counted_done: bool,
    abandoned: bool,
    /// When the shard could first leave (waiting for media reports since).
    leaving_since: Option<Instant>,
}

impl Stopping {
    pub(super) fn new(stop: Arc<Stop>) -> Stopping {
        Stopping {
            stop,
            drained: false,
            started: false,
            counted_done: false,
            abandoned: false,
            leaving_since: None,
        }
    }

    /// Whether the shard is stopping (new calls refused).
    pub(super) fn active(&self) -> bool {
        self.started
    }

    /// One loop's part of the stop, after the loop's input: starts it in
    /// the core, ends what is left at the deadline, counts this shard
    /// done. True once the shard may leave (its media reports aside).
    pub(super) fn step(
        &mut self,
        now: Instant,
        core: &mut ShardCore,
        out: &mut Outbox,
        mailboxes: &[ShardMailbox],
    ) -> bool {
        if !self.drained && self.stop.draining() {
            self.drained = true;
            core.drain();
        }
        if !self.started {
            if !self.stop.requested() {
                return false;
            }
            self.started = true;
            let _ = core.on_command(now, Command::Shutdown, out);
        }
        let late = self.stop.deadline().is_some_and(|d| now >= d);
        if late && !self.abandoned {
            self.abandoned = true;
            let _ = core.on_command(now, Command::Abandon, out);
        }
        if !self.counted_done && core.table_sizes().calls == 0 {
            self.counted_done = true;
            if self.stop.shard_done() {
                mailboxes.iter().for_each(ShardMailbox::wake);
            }
        }
        let may_leave = self.stop.all_done() || late;
        if may_leave && self.leaving_since.is_none() {
            self.leaving_since = Some(now);
        }
        may_leave
    }

    /// Whether the shard leaves now: its Terminated events have their
    /// media reports (`settled`), or waited long enough for them.
    pub(super) fn leave(&self, now: Instant, settled: bool) -> bool {
        self.leaving_since.is_some_and(|since| settled || now >= since + MEDIA_REPORT_WAIT)
    }

    /// When the loop must look again even if nothing arrives: the
    /// deadline, or the end of the wait for media reports.
    pub(super) fn wake_at(&self) -> Option<Instant> {
        if !self.started {
            return None;
        }
        match self.leaving_since {
            Some(since) => Some(since + MEDIA_REPORT_WAIT),
            None => self.stop.deadline().filter(|_| !self.abandoned),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use super::Stopping;
    use crate::core::{CoreConfig, Outbox, ShardCore};
    use crate::runtime::app_events::MEDIA_REPORT_WAIT;
    use crate::runtime::mailbox::ShardMailbox;
    use crate::runtime::stop::Stop;

    fn idle_shard() -> (ShardCore, Outbox, Vec<ShardMailbox>, mio::Poll) {
        let poll = mio::Poll::new().unwrap();
        let mailboxes = vec![ShardMailbox::new(&poll, 16).unwrap()];
        (ShardCore::new(CoreConfig::default(), Instant::now()), Outbox::default(), mailboxes, poll)
    }

    #[test]
    fn a_shard_without_calls_keeps_receiving_until_every_shard_is_done() {
        let (mut core, mut out, mailboxes, _poll) = idle_shard();
        let stop = Arc::new(Stop::new(2));
        let mut idle = Stopping::new(stop.clone());
        let t0 = Instant::now();
        assert!(!idle.step(t0, &mut core, &mut out, &mailboxes), "no stop asked");
        stop.request(t0 + Duration::from_secs(10));
        // No call of its own, but the other shard still has calls: answers
        // to them may land on this shard's socket.
        assert!(!idle.step(t0, &mut core, &mut out, &mailboxes));
        assert!(!idle.leave(t0, true));
        assert!(stop.shard_done(), "the other shard ends its calls, the last one to");
        let t1 = t0 + Duration::from_millis(1);
        assert!(idle.step(t1, &mut core, &mut out, &mailboxes));
        assert!(idle.leave(t1, true), "nothing waits for a media report");
        assert!(!idle.leave(t1, false), "Terminated events wait for their media reports");
        assert!(idle.leave(t1 + MEDIA_REPORT_WAIT, false), "but not for ever");
    }

    #[test]
    fn at_the_deadline_every_shard_leaves() {
        let (mut core, mut out, mailboxes, _poll) = idle_shard();
        let stop = Arc::new(Stop::new(2));
        let mut idle = Stopping::new(stop.clone());
        let t0 = Instant::now();
        stop.request(t0 + Duration::from_millis(500));
        assert!(!idle.step(t0, &mut core, &mut out, &mailboxes));
        assert_eq!(idle.wake_at(), Some(t0 + Duration::from_millis(500)), "wakes for the deadline");
        let late = t0 + Duration::from_millis(500);
        assert!(idle.step(late, &mut core, &mut out, &mailboxes), "the other shard never finished");
        assert!(idle.leave(late, true));
    }
}
