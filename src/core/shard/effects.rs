//! Carrying out what a call asked for in one step, in order: responses
//! through its INVITE's server transaction, requests in its dialog,
//! timers, media commands, events, its end.

use super::ShardCore;
use crate::core::call::{CallEvent, Effect, InDialog, MediaOp, With};
use crate::core::ids::Token;
use crate::core::server::{Extra, Ours, reason_phrase, write_response};
use crate::core::{CallHandle, Event, MediaCommand, Outbox, Transmit};
use crate::sip::ResponseHead;

impl ShardCore {
    /// Carries out the effects call `slot` queued in `self.step`.
    pub(crate) fn run_effects(&mut self, slot: usize, out: &mut Outbox) {
        if self.step.is_empty() {
            return;
        }
        let handle = self.handle(slot);
        let mut effects = self.step.take();
        for e in &mut effects {
            self.carry_out(slot, handle, e, out);
        }
        self.step.restore(effects);
        debug_assert!(self.step.is_empty(), "an effect made a call step");
    }

    /// Carries out one effect, taking what it owns (the buffer is cleared
    /// after, not moved out element by element).
    fn carry_out(&mut self, slot: usize, handle: CallHandle, e: &mut Effect, out: &mut Outbox) {
        match e {
            Effect::Respond { txn, code, with } => self.respond(slot, handle, *txn, *code, with, out),
            Effect::Request(r) => {
                let r = std::mem::replace(r, InDialog::Bye);
                self.send_in_dialog(slot, handle, r, out)
            }
            Effect::Cancel => self.send_cancel(slot, out),
            Effect::Prack { dialog, rack } => self.send_prack(slot, handle, dialog, *rack, out),
            Effect::ReleaseFork { dialog, again } => self.release_fork(slot, handle, dialog, *again, out),
            &mut Effect::Resend(k) => {
                if let Some((to, data, kind)) = self.calls.get(slot).and_then(|c| c.kept(k)) {
                    out.transmits.push(Transmit { to, data, kind, call: Some(handle) });
                    self.stats.retransmissions += 1;
                }
            }
            &mut Effect::Arm(timer, after) => {
                let h = self.clock.arm_call(self.step.now + after, handle, timer);
                let old = self.calls.get_mut(slot).and_then(|c| c.timer_armed(timer, h));
                if let Some(old) = old {
                    self.clock.wheel.cancel(old);
                }
            }
            &mut Effect::Disarm(handles) => {
                for h in handles.into_iter().flatten() {
                    self.clock.wheel.cancel(h);
                }
            }
            Effect::Media(op) => {
                let op = std::mem::replace(op, MediaOp::Direction { local_port: 0, send: false });
                out.media.push(media_command(handle, op))
            }
            Effect::Event(e) => {
                let e = std::mem::replace(e, CallEvent::Ringing);
                if let Some(info) = self.calls.get(slot).and_then(|c| c.info()) {
                    out.events.push(Event::new(handle, self.step.now, info.clone(), e.into()));
                }
            }
            &mut Effect::Answered { setup } => {
                record_us(&mut self.placed_setup_us, setup);
                self.stats.uac.answered += 1;
                // A call a REFER asked for: its referrer hears of the answer.
                let leg = self.calls.get(slot).and_then(|c| c.leg());
                if let Some(referrer) = leg.and_then(|l| l.call.referrer()) {
                    self.report_transfer(referrer, 200, out);
                }
            }
            &mut Effect::ReleasePort(port) => self.ports.give_back(port),
            &mut Effect::End(reason) => self.end_call(slot, reason, out),
        }
    }

    /// Writes and sends a response to the INVITE in server transaction
    /// `txn`; a 2xx to keep goes back to the call for retransmission.
    /// Out of line, as are the other heavy effects, so that a run of light
    /// ones does not pay for their setup.
    #[inline(never)]
    fn respond(
        &mut self,
        slot: usize,
        handle: CallHandle,
        txn: usize,
        code: u16,
        with: &mut With,
        out: &mut Outbox,
    ) {
        if with.answers
            && let Some(started) = self.calls.get(slot).map(|c| c.started())
        {
            record_us(&mut self.setup_us, self.step.now.saturating_duration_since(started));
            self.stats.calls_answered += 1;
        }
        let tag = if with.tag {
            self.calls.get(slot).map(|c| Token::copy_of(c.dialog().local_tag()))
        } else {
            None
        };
        // Field by field, so the stored request is borrowed, not cloned.
        let Some(t) = self.ist.get_mut(txn) else { return };
        let Some(request) = t.request() else { return };
        let ours = Ours {
            contact: self.sdp.contact_for(t.reply_to.transport),
            server: &self.cfg.user_agent,
            allow: crate::core::server::allow(self.cfg.registrar.is_some()),
            supported: crate::core::server::supported(self.cfg.session_timer.is_some()),
        };
        let custom = with.custom.as_ref().and_then(|c| c.reason.as_deref());
        let reason = custom.unwrap_or_else(|| reason_phrase(code));
        let head = ResponseHead { code, reason, to_tag: tag.as_deref(), source: None };
        let data = write_response(&mut self.writer, ours, request, t.source, head, Extra::from(&*with));
        let cseq = request.cseq_number().unwrap_or(0);
        if let (Some(rseq), Some(c)) = (with.reliable, self.calls.get_mut(slot)) {
            c.sent_reliable(rseq, code, data.clone(), self.step.timers.t1);
        }
        t.respond(
            &mut self.clock.txn(self.step.now, &mut out.transmits, Some(handle)),
            txn,
            code,
            data.clone(),
        );
        if with.keep
            && let Some(c) = self.calls.get_mut(slot)
        {
            c.sent_2xx(data, cseq);
        }
    }
}

/// A call setup time into its histogram, µs.
fn record_us(h: &mut hdrhistogram::Histogram<u64>, setup: std::time::Duration) {
    let _ = h.record(u64::try_from(setup.as_micros()).unwrap_or(u64::MAX).max(1));
}

/// A call's media operation as a command naming the call.
fn media_command(call: CallHandle, op: MediaOp) -> MediaCommand {
    match op {
        MediaOp::Open { local_port, remote, payload_type, send, mode, dtmf_pt, srtp } => {
            MediaCommand::Open { call, local_port, remote, payload_type, send, mode, dtmf_pt, srtp }
        }
        MediaOp::Rekey { local_port, srtp } => MediaCommand::Rekey { call, local_port, srtp },
        MediaOp::Mode { local_port, mode } => MediaCommand::Mode { call, local_port, mode },
        MediaOp::Direction { local_port, send } => MediaCommand::Direction { call, local_port, send },
        MediaOp::Music { local_port, on } => MediaCommand::Music { call, local_port, on },
        MediaOp::Bridge { local_port, other_port } => MediaCommand::Bridge { call, local_port, other_port },
    }
}
