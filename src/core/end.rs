//! How calls end: every call leaves through `end_call` with one reason,
//! counted, with its timers cancelled and its media closed.

use std::time::Instant;

use super::{EventKind, MediaCommand, Outbox, ShardCore};
use crate::dialog::{CallState, EndReason};

impl ShardCore {
    /// Queues an application event for a call.
    pub(crate) fn emit(&mut self, call: usize, kind: EventKind, out: &mut Outbox) {
        if self.cfg.events {
            let call = super::CallId::new(self.cfg.shard, self.calls.handle(call));
            out.events.push(super::Event { call, kind });
        }
    }

    /// Removes a call with its final reason.
    pub(crate) fn end_call(&mut self, call: usize, reason: EndReason, now: Instant, out: &mut Outbox) {
        let handle = self.calls.handle(call);
        let Some(mut c) = self.calls.remove(call) else { return };
        c.state = CallState::Terminated;
        if c.uac.is_none() {
            self.note_source_call(c.dialog.source, false); // calls we place are not the source's
        }
        for h in [c.retransmit, c.ack_timeout, c.answer, c.hangup].into_iter().flatten() {
            self.wheel.cancel(h);
        }
        // Our BYE or re-INVITE may outlive the call; its slot may be reused,
        // so their outcomes must no longer reach it.
        for slot in [c.bye_txn, c.info_txn, c.refer_txn].into_iter().flatten() {
            if let Some(t) = self.nict.get_mut(slot as usize)
                && t.call == Some(call)
            {
                t.call = None;
            }
        }
        let uac_invite = c.uac.as_ref().map(|l| l.invite_txn.0 as u32);
        for slot in [c.reinvite_txn, uac_invite].into_iter().flatten() {
            if let Some(t) = self.ict.get_mut(slot as usize)
                && t.call == Some(call)
            {
                t.call = None;
            }
        }
        if c.uac.as_ref().is_some_and(|l| l.from_load) {
            self.load_ended();
        }
        match (c.local_port, c.media_open) {
            (Some(port), true) => out.media.push(MediaCommand::Close { call: handle, local_port: port }),
            (port, false) => self.release_port(port),
            _ => {}
        }
        let s = &mut self.stats;
        s.active_calls = s.active_calls.saturating_sub(1);
        match reason {
            _ if c.uac.is_some() => s.uac.count_end(reason),
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
            EndReason::RequestTimeout => s.failed_request_timeout += 1,
            EndReason::InviteTimeout | EndReason::TransportError => s.failed_request_timeout += 1,
        }
        if self.cfg.events {
            let duration = now.saturating_duration_since(c.started);
            // With media, the runtime holds this until the stream's report.
            let kind = EventKind::Terminated { reason, duration, media: None };
            out.events.push(super::Event { call: super::CallId::new(self.cfg.shard, handle), kind });
        }
    }

    /// Starts our BYE; the call ends with `reason` when it is answered.
    pub(crate) fn hang_up(&mut self, now: Instant, call: usize, reason: EndReason, out: &mut Outbox) {
        let Some(c) = self.calls.get_mut(call) else { return };
        if c.state == CallState::Terminating {
            return;
        }
        c.state = CallState::Terminating;
        c.ending = Some(reason);
        c.pending_2xx = None;
        for h in [c.retransmit.take(), c.ack_timeout.take(), c.hangup.take()].into_iter().flatten() {
            self.wheel.cancel(h);
        }
        self.send_in_dialog(now, call, super::uac::InDialog::Bye, out);
    }
}
