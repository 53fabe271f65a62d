//! A shard's output side: what one core step produced, sent after it —
//! datagrams (a failed send goes back to the call its transmit names),
//! the application's events, media commands with their bound sockets.

use std::net::UdpSocket;
use std::time::Instant;

use crate::core::{Outbox, ShardCore};
use crate::runtime::app_events::EventOut;
use crate::runtime::media_link::MediaLink;
use crate::runtime::report::ShardReport;
use crate::transport::send_batch;

/// Where a shard's core steps go.
pub(crate) struct ShardOutput {
    pub(crate) out: Outbox,
    pub(crate) events: Option<EventOut>,
    pub(crate) media: Option<MediaLink>,
}

impl ShardOutput {
    pub(crate) fn new(events: Option<EventOut>, media: Option<MediaLink>) -> ShardOutput {
        ShardOutput { out: Outbox::default(), events, media }
    }

    /// After a core step that may have taken an RTP port: the stock is
    /// topped up before the next one.
    pub(crate) fn refill_ports(&mut self, core: &mut ShardCore) {
        if let Some(m) = &mut self.media {
            m.refill(core);
        }
    }

    /// Sends and hands over everything queued, then empties the outbox.
    pub(crate) fn flush(&mut self, socket: &UdpSocket, core: &mut ShardCore, local: &mut ShardReport) {
        if !self.out.transmits.is_empty() {
            let failed = send_batch(socket, &self.out.transmits);
            local.send_errors += failed.len() as u64;
            for (i, e) in failed {
                if let Some(call) = self.out.transmits.get(i).and_then(|t| t.call) {
                    core.on_send_failure(Instant::now(), call, &e.to_string(), &mut self.out);
                }
            }
        }
        if let Some(e) = &mut self.events {
            e.take(&mut self.out.events, local);
        }
        if let Some(m) = &mut self.media {
            m.forward(&mut self.out);
        }
        self.out.clear();
    }

    /// No Terminated event waits for its stream's report.
    pub(crate) fn events_settled(&self) -> bool {
        self.events.as_ref().is_none_or(EventOut::settled)
    }

    /// Terminated events whose stream report is late (or, at exit, all)
    /// go out without it.
    pub(crate) fn expire_events(&mut self, now: Instant, all: bool, local: &mut ShardReport) {
        if let Some(e) = &mut self.events {
            e.expire(now, all, local);
        }
    }
}
