//! How calls end: every call leaves through `end_call` with one reason,
//! counted, with its timers cancelled, its requests detached and its
//! media closed.

use super::ShardCore;
use crate::core::{Event, EventKind, MediaCommand, Outbox};
use crate::dialog::EndReason;

impl ShardCore {
    /// Removes a call with its final reason.
    #[inline(never)]
    pub(crate) fn end_call(&mut self, slot: usize, reason: EndReason, out: &mut Outbox) {
        let handle = self.handle(slot);
        let Some(c) = self.calls.remove(slot) else { return };
        self.admission.call_slot_freed();
        if let Some(conn) = c.placed_conn() {
            out.released.push(conn);
        }
        let f = c.finish();
        if !f.placed {
            // Calls we place are not the source's.
            self.admission.call_ended(&self.cfg, f.dialog.source);
        }
        for h in f.timers.into_iter().flatten() {
            self.clock.wheel.cancel(h);
        }
        // Our requests may outlive the call; their slots may be reused, so
        // their outcomes must no longer reach it.
        for txn in f.nict.into_iter().flatten() {
            if let Some(t) = self.nict.get_mut(txn as usize)
                && t.call == Some(slot)
            {
                t.call = None;
            }
        }
        for txn in f.ict.into_iter().flatten() {
            if let Some(t) = self.ict.get_mut(txn as usize)
                && t.call == Some(slot)
            {
                t.call = None;
            }
        }
        match f.port {
            Some((local_port, true)) => out.media.push(MediaCommand::Close { call: handle, local_port }),
            Some((port, false)) => self.ports.give_back(port),
            None => {}
        }
        let s = &mut self.stats;
        s.active_calls = s.active_calls.saturating_sub(1);
        if f.placed {
            self.placed_live = self.placed_live.saturating_sub(1);
        }
        match reason {
            _ if f.placed => s.uac.count_end(reason),
            EndReason::RemoteBye | EndReason::LocalBye => s.calls_completed += 1,
            EndReason::Rejected(_) => s.calls_rejected += 1,
            EndReason::Cancelled => s.calls_cancelled += 1,
            EndReason::AckTimeout => s.failed_ack_timeout += 1,
            EndReason::ByeFailed => s.failed_bye += 1,
            EndReason::Shutdown => s.failed_shutdown += 1,
            EndReason::MediaTimeout => s.failed_media_timeout += 1,
            EndReason::Transferred => {
                s.calls_completed += 1;
                s.calls_transferred += 1;
            }
            EndReason::RequestTimeout | EndReason::InviteTimeout => s.failed_request_timeout += 1,
            EndReason::TransportError => s.failed_transport += 1,
            EndReason::SessionExpired => s.failed_session_expired += 1,
        }
        if let Some(referrer) = f.unanswered_referrer {
            self.report_transfer(referrer, crate::core::transfer::unanswered_status(reason), out);
        }
        if let Some(info) = f.info {
            let duration = self.step.now.saturating_duration_since(f.started);
            // With media, the runtime holds this until the stream's report.
            let kind = EventKind::Terminated { reason, duration, media: None };
            out.events.push(Event::new(handle, self.step.now, info, kind));
        }
    }
}
