//! A shard's side of the application's event stream: a bounded channel
//! that never blocks the shard (a full stream drops and counts), and the
//! Terminated events held back until the call's RTP stream reports, so
//! they carry its media counters.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crossbeam::channel::{Sender, TrySendError};

use super::report::ShardReport;
use crate::core::{CallHandle, Event, EventKind};
use crate::media::StreamReport;

/// How long a Terminated waits for its stream's report: the media thread
/// closes a stream within microseconds unless it is stopping.
const MEDIA_REPORT_WAIT: Duration = Duration::from_secs(1);

/// Where one shard's events go.
pub(crate) struct EventOut {
    tx: Sender<Event>,
    /// An RTP pool runs: streams report when they close.
    with_media: bool,
    /// Calls whose stream is open.
    streaming: hashbrown::HashSet<CallHandle>,
    /// Terminated events waiting for their stream's report.
    parked: HashMap<CallHandle, (Event, Instant)>,
}

impl EventOut {
    pub(crate) fn new(tx: Sender<Event>, with_media: bool) -> EventOut {
        EventOut { tx, with_media, streaming: Default::default(), parked: HashMap::new() }
    }

    pub(crate) fn deliver(&self, ev: Event, local: &mut ShardReport) {
        match self.tx.try_send(ev) {
            Ok(()) => local.events_sent += 1,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => local.events_dropped += 1,
        }
    }

    /// Takes one core step's events.
    pub(crate) fn take(&mut self, events: &mut Vec<Event>, local: &mut ShardReport) {
        for ev in events.drain(..) {
            match &ev.kind {
                // Without a pool no stream runs, whatever the SDP said.
                EventKind::MediaStarted { .. } if !self.with_media => continue,
                EventKind::MediaStarted { .. } => {
                    self.streaming.insert(ev.call);
                }
                EventKind::Terminated { .. } if self.streaming.contains(&ev.call) => {
                    self.parked.insert(ev.call, (ev, Instant::now()));
                    continue;
                }
                _ => {}
            }
            self.deliver(ev, local);
        }
    }

    /// A stream closed: MediaStopped, then the call's Terminated if it
    /// waited for this.
    pub(crate) fn media_closed(&mut self, call: CallHandle, r: StreamReport, local: &mut ShardReport) {
        self.streaming.remove(&call);
        self.deliver(Event { call, kind: EventKind::MediaStopped(r) }, local);
        if let Some((mut ev, _)) = self.parked.remove(&call) {
            if let EventKind::Terminated { media, .. } = &mut ev.kind {
                *media = Some(r);
            }
            self.deliver(ev, local);
        }
    }

    /// Sends Terminated events whose report did not come in time (or all
    /// of them, at exit), without media counters.
    pub(crate) fn expire(&mut self, now: Instant, all: bool, local: &mut ShardReport) {
        if self.parked.is_empty() {
            return;
        }
        let late: Vec<CallHandle> = self
            .parked
            .iter()
            .filter(|(_, (_, at))| all || now.saturating_duration_since(*at) > MEDIA_REPORT_WAIT)
            .map(|(h, _)| *h)
            .collect();
        for h in late {
            self.streaming.remove(&h);
            if let Some((ev, _)) = self.parked.remove(&h) {
                self.deliver(ev, local);
            }
        }
    }
}
