//! A shard's side of the application's event stream: a bounded channel
//! that never blocks the shard (a full stream drops and counts), and the
//! Terminated events held back until the call's RTP stream reports, so
//! they carry its media counters. Media events (a stream's report, a key
//! press) get the call's context from its MediaStarted.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::event_channel::EventSender;
use super::report::ShardReport;
use crate::core::{CallHandle, CallInfo, Event, EventKind};
use crate::media::StreamReport;

/// How long a Terminated waits for its stream's report: the media thread
/// closes a stream within microseconds.
pub(crate) const MEDIA_REPORT_WAIT: Duration = Duration::from_secs(1);

/// Where one shard's events go.
pub(crate) struct EventOut {
    tx: EventSender,
    /// An RTP pool runs: streams report when they close.
    with_media: bool,
    /// Calls whose stream is open, with their context.
    streaming: hashbrown::HashMap<CallHandle, Arc<CallInfo>>,
    /// Terminated events waiting for their stream's report.
    parked: HashMap<CallHandle, (Event, Instant)>,
}

impl EventOut {
    pub(crate) fn new(tx: EventSender, with_media: bool) -> EventOut {
        EventOut { tx, with_media, streaming: Default::default(), parked: HashMap::new() }
    }

    pub(crate) fn deliver(&self, ev: Event, local: &mut ShardReport) {
        if self.tx.try_send(ev) {
            local.events_sent += 1;
        } else {
            local.events_dropped += 1;
        }
    }

    /// Takes one core step's events.
    pub(crate) fn take(&mut self, events: &mut Vec<Event>, local: &mut ShardReport) {
        for ev in events.drain(..) {
            match &ev.kind {
                // Without a pool no stream runs, whatever the SDP said.
                EventKind::MediaStarted { .. } if !self.with_media => continue,
                EventKind::MediaStarted { .. } => {
                    self.streaming.insert(ev.call, ev.info.clone());
                }
                EventKind::Terminated { .. } if self.streaming.contains_key(&ev.call) => {
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
        let Some(info) = self.streaming.remove(&call) else { return };
        self.deliver(Event::new(call, Instant::now(), info, EventKind::MediaStopped(r)), local);
        if let Some((mut ev, _)) = self.parked.remove(&call) {
            if let EventKind::Terminated { media, .. } = &mut ev.kind {
                *media = Some(r);
            }
            self.deliver(ev, local);
        }
    }

    /// A key press on a call's stream.
    pub(crate) fn dtmf(&self, call: CallHandle, digit: char, duration: Duration, local: &mut ShardReport) {
        if let Some(info) = self.streaming.get(&call) {
            let kind = EventKind::Dtmf { digit, duration };
            self.deliver(Event::new(call, Instant::now(), info.clone(), kind), local);
        }
    }

    /// No Terminated event waits for its stream's report.
    pub(crate) fn settled(&self) -> bool {
        self.parked.is_empty()
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
