//! Responses to the INVITE of a call we placed (RFC 3261 §13.2.2): a 1xx
//! with a tag is an early dialog; the first 2xx confirms the call and is
//! ACKed (again for each retransmission); a 2xx from another fork is
//! ACKed and ended with BYE; a digest challenge is answered; any other
//! final response ends the call.

use std::time::Instant;

use super::uac::{InDialog, dialog_request, strip_brackets};
use super::uac_leg::{CancelState, MAX_EARLY_DIALOGS};
use super::{CallErrorKind, EventKind, Outbox, ShardCore};
use crate::dialog::{CallState, EndReason};
use crate::sip::Message;
use crate::txn::{ClientOutcome, NonInviteClientTxn, OutDatagram, TxnCtx, TxnKey};

impl ShardCore {
    /// Whether INVITE client transaction `slot` is the current INVITE of
    /// `call`, a call we placed (not one of its re-INVITEs).
    pub(crate) fn is_uac_invite(&self, call: usize, slot: usize) -> bool {
        let generation = self.ict.get(slot).map(|t| t.generation);
        let leg = self.calls.get(call).and_then(|c| c.uac.as_ref());
        leg.is_some_and(|l| l.invite_txn.0 == slot && Some(l.invite_txn.1) == generation)
    }

    pub(crate) fn on_uac_invite_response(
        &mut self,
        now: Instant,
        call: usize,
        outcome: ClientOutcome,
        msg: Option<&Message>,
        out: &mut Outbox,
    ) {
        match (outcome, msg) {
            (ClientOutcome::Provisional(code), Some(m)) => self.on_uac_provisional(now, call, code, m, out),
            (ClientOutcome::Final(200..=299), Some(m)) => self.on_uac_2xx(now, call, m, out),
            (ClientOutcome::Final(code), Some(m)) => self.on_uac_refused(now, call, code, m, out),
            _ => {
                let cancelled = self
                    .uac_cancel(call)
                    .is_some_and(|c| matches!(c, CancelState::Wanted | CancelState::Sent));
                if !cancelled {
                    let detail = "no final response to INVITE (Timer B)".to_owned();
                    self.call_error(call, CallErrorKind::Timeout, detail, out);
                }
                let reason = if cancelled { EndReason::Cancelled } else { EndReason::InviteTimeout };
                self.end_call(call, reason, now, out);
            }
        }
    }

    fn uac_cancel(&self, call: usize) -> Option<CancelState> {
        self.calls.get(call).and_then(|c| c.uac.as_ref()).map(|l| l.cancel)
    }

    fn on_uac_provisional(&mut self, now: Instant, call: usize, code: u16, msg: &Message, out: &mut Outbox) {
        let Some(c) = self.calls.get_mut(call) else { return };
        let Some(leg) = c.uac.as_mut() else { return };
        if let Ok(Some(tag)) = msg.to_tag()
            && code > 100
            && leg.early.len() < MAX_EARLY_DIALOGS
            && !leg.early.iter().any(|t| &**t == tag)
        {
            leg.early.push(tag.into());
        }
        let ringing = (180..=183).contains(&code);
        let cancel = match leg.cancel {
            CancelState::Wanted => true,
            CancelState::OnRinging => ringing,
            _ => false,
        };
        if ringing && c.state == CallState::Calling {
            c.state = CallState::Ringing;
            self.emit(call, EventKind::Ringing, out);
        }
        if cancel {
            self.cancel_placed_call(now, call, out);
        }
    }

    fn on_uac_2xx(&mut self, now: Instant, call: usize, msg: &Message, out: &mut Outbox) {
        let Some(c) = self.calls.get(call) else { return };
        let Some(leg) = c.uac.as_ref() else { return };
        if let Some(ack) = &leg.ack {
            let tag = msg.to_tag().ok().flatten().unwrap_or("");
            if tag == c.dialog.remote_tag() {
                // A retransmission: our ACK went missing (§13.2.2.4).
                out.datagrams.push(OutDatagram { to: c.dialog.peer(), data: ack.clone() });
                self.stats.retransmissions += 1;
            } else {
                self.release_fork(now, call, msg, out);
            }
            return;
        }
        let dialog = c.dialog.from_uac_response(msg);
        let media = c.local_port.and_then(|p| self.sdp.read_answer(msg, p));
        let (seq, cancel, started) = (leg.invite_cseq, leg.cancel, c.started);
        let Some(c) = self.calls.get_mut(call) else { return };
        c.dialog = dialog;
        c.state = CallState::Confirmed;
        let unused_port = match &media {
            Some(m) => {
                (c.remote_media, c.payload_type, c.dtmf_pt) = (m.remote, m.payload_type, m.dtmf_pt);
                c.remote_held = m.held;
                None
            }
            None => c.local_port.take(),
        };
        self.release_port(unused_port);
        let setup = now.saturating_duration_since(started).as_micros();
        let _ = self.setup_us.record(u64::try_from(setup).unwrap_or(u64::MAX).max(1));
        self.stats.uac.answered += 1;
        self.send_in_dialog(now, call, InDialog::Ack(seq), out);
        let ack = out.datagrams.last().map(|d| d.data.clone());
        let Some(c) = self.calls.get_mut(call) else { return };
        let hangup = c.hangup_after;
        if let Some(leg) = c.uac.as_mut() {
            leg.ack = ack;
        }
        if media.is_some() {
            self.open_media(call, out);
        }
        self.emit(call, EventKind::Answered, out);
        self.emit(call, EventKind::Established, out);
        match (cancel, hangup) {
            // Our CANCEL crossed the answer: end the call we did not want.
            (CancelState::Wanted | CancelState::Sent, _) => {
                self.hang_up(now, call, EndReason::Cancelled, out)
            }
            (_, Some(after)) if after.is_zero() => self.hang_up(now, call, EndReason::LocalBye, out),
            (_, Some(after)) => self.arm_call_timer(now, call, super::call_table::CallTimer::Hangup, after),
            _ => {}
        }
    }

    /// A 2xx from a fork other than the confirmed one (§13.2.2.4): ACK it
    /// and end that dialog with BYE (its outcome is nobody's call).
    fn release_fork(&mut self, now: Instant, call: usize, msg: &Message, out: &mut Outbox) {
        let (ack_branch, bye_branch) =
            (format!("z9hG4bK{}", &*self.next_id()), format!("z9hG4bK{}", &*self.next_id()));
        let generation = self.next_generation();
        let local = self.cfg.local.to_string();
        let Some(c) = self.calls.get_mut(call) else { return };
        let d = c.dialog.from_uac_response(msg);
        let Some(leg) = c.uac.as_mut() else { return };
        let again = leg.released.iter().any(|t| **t == *d.remote_tag());
        if !again && leg.released.len() < MAX_EARLY_DIALOGS {
            leg.released.push(d.remote_tag().into());
        }
        let (seq, peer, target) = (d.local_cseq, d.peer(), strip_brackets(d.remote_target()));
        let w = &mut self.writer;
        let ack = dialog_request(w, &d, "ACK", target, seq, &local, &ack_branch).finish();
        out.datagrams.push(OutDatagram { to: peer, data: ack });
        if again {
            return; // its 2xx again: the ACK went missing, the BYE is on its way
        }
        let bye = dialog_request(w, &d, "BYE", target, seq + 1, &local, &bye_branch).finish();
        let mut ctx =
            TxnCtx { now, wheel: &mut self.wheel, out: &mut out.datagrams, timers: &self.cfg.timers };
        let slot = self.nict.next_slot();
        let txn = NonInviteClientTxn::start(&mut ctx, slot, generation, peer, bye);
        self.nict.insert(TxnKey::client(&bye_branch, crate::sip::Method::Bye, "BYE"), txn);
        self.stats.uac.forks_released += 1;
    }

    fn on_uac_refused(&mut self, now: Instant, call: usize, code: u16, msg: &Message, out: &mut Outbox) {
        let Some(leg) = self.calls.get(call).and_then(|c| c.uac.as_ref()) else { return };
        let (cancel, tries) = (leg.cancel, leg.auth_tries);
        if code == 487 && matches!(cancel, CancelState::Sent | CancelState::Wanted) {
            return self.end_call(call, EndReason::Cancelled, now, out);
        }
        if matches!(code, 401 | 407) && tries < 2 && self.answer_challenge(now, call, code, msg, out) {
            return;
        }
        self.end_call(call, EndReason::Rejected(code), now, out);
    }
}
