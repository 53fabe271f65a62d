//! A new INVITE: 100 Trying at once, the policy's decision, ringing and
//! answering on timers; CANCEL of a pending INVITE.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::CallId;
use super::call_table::{Call, CallTimer};
use super::handler::{IncomingCall, IncomingRequest, OfferSummary};
use super::respond::Extra;
use super::{CoreTimer, EventKind, Outbox, ShardCore};
use crate::dialog::{CallState, Dialog};
use crate::sip::Message;
use crate::txn::{InviteServerTxn, TxnKey};

impl ShardCore {
    /// Creates an INVITE server transaction for `msg`, which it takes
    /// (leaving an empty message): requests travel by reference and are
    /// moved once, here, instead of at every step of the dispatch.
    pub(crate) fn new_ist(&mut self, key: TxnKey, msg: &mut Message, from: SocketAddr) -> usize {
        let generation = self.next_generation();
        let reply_to = Self::reply_address(msg, from);
        self.ist.insert(key, InviteServerTxn::new(msg.take(), from, reply_to, generation))
    }

    pub(crate) fn on_new_invite(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        out: &mut Outbox,
    ) {
        let tag = self.next_id();
        // Refusals make the transaction at once; an accepted call makes it
        // after reading the request, which it then moves in (no clone).
        let refusal = if self.calls.find(msg.call_id()).is_some() {
            // A merged request (RFC 3261 §8.2.2.2) or a Call-ID reused.
            Err((482, "Loop Detected", Extra::default()))
        } else if !self.has_room_for_call(from) {
            Err((503, self.count_refusal(), Extra { retry_after: Some(5), ..Extra::default() }))
        } else {
            match Dialog::from_invite(msg, &tag, from) {
                Err(e) => Err((400, e.reason_phrase(), Extra::default())),
                // The port pair is taken (and bound) only for a request
                // that can become a call.
                Ok(dialog) => match self.answer_new_call(msg) {
                    Ok(a) => Ok((dialog, a)),
                    Err((code, reason)) => {
                        let retry_after = (code == 503).then_some(5);
                        Err((code, reason, Extra { accept: code == 415, retry_after, ..Extra::default() }))
                    }
                },
            }
        };
        let (dialog, sdp_answer) = match refusal {
            Ok(accepted) => accepted,
            Err((code, reason, extra)) => {
                let slot = self.new_ist(key, msg, from);
                self.answer_invite(now, slot, code, reason, Some(&tag), extra, out);
                return;
            }
        };
        let call_id = self.cfg.events.then(|| msg.call_id().to_owned());
        let slot = self.new_ist(key, msg, from);
        let generation = self.next_generation();
        let reply_to = self.ist.get(slot).map_or(from, |t| t.reply_to);
        let call = Call {
            invite_txn: Some(slot),
            sdp_answer: Some(sdp_answer.body),
            local_port: sdp_answer.port,
            remote_held: sdp_answer.held,
            payload_type: sdp_answer.payload_type,
            dtmf_pt: sdp_answer.dtmf_pt,
            remote_media: sdp_answer.remote,
            ..Call::new(generation, CallState::Incoming, dialog, now, reply_to)
        };
        let call_slot = self.calls.insert(call);
        self.note_source_call(from, true);
        if let Some(t) = self.ist.get_mut(slot) {
            t.call = Some(call_slot);
        }
        self.stats.calls_received += 1;
        self.stats.active_calls += 1;
        self.stats.peak_active_calls = self.stats.peak_active_calls.max(self.stats.active_calls);
        if let Some(call_id) = call_id {
            self.emit(call_slot, EventKind::Incoming { call_id, source: from }, out);
        }
        let offer = sdp_answer.port.map(|_| OfferSummary {
            media_addr: sdp_answer.remote,
            codec: if sdp_answer.payload_type == 8 { "PCMA" } else { "PCMU" },
            on_hold: sdp_answer.held,
        });
        let id = CallId::new(self.cfg.shard, self.calls.handle(call_slot));
        let Some(txn) = self.ist.get(slot) else { return };
        let incoming =
            IncomingCall { id, request: IncomingRequest { msg: &txn.request, source: from }, offer };
        let decision = self.handler.on_incoming(&incoming);
        self.apply_decision(now, slot, call_slot, decision, out);
    }

    /// Arms a call timer and records its handle.
    pub(crate) fn arm_call_timer(&mut self, now: Instant, slot: usize, timer: CallTimer, after: Duration) {
        let Some(c) = self.calls.get_mut(slot) else { return };
        let t = CoreTimer::Call { slot: slot as u32, generation: c.generation, timer };
        let h = self.wheel.insert(now + after, t);
        let field = match timer {
            CallTimer::Answer => &mut c.answer,
            CallTimer::Hangup => &mut c.hangup,
            CallTimer::Retransmit2xx => &mut c.retransmit,
            CallTimer::AckTimeout => &mut c.ack_timeout,
        };
        if let Some(old) = field.replace(h) {
            self.wheel.cancel(old);
        }
    }

    pub(crate) fn ring_call(&mut self, now: Instant, call: usize, out: &mut Outbox) {
        let Some(c) = self.calls.get_mut(call) else { return };
        let (Some(slot), tag) = (c.invite_txn, super::Token::copy_of(c.dialog.local_tag())) else { return };
        c.state = CallState::Ringing;
        let extra = Extra { dialog: true, ..Extra::default() };
        self.answer_invite(now, slot, 180, "Ringing", Some(&tag), extra, out);
        self.emit(call, EventKind::Ringing, out);
    }

    /// Sends the 200 with our SDP answer; retransmitted until the ACK.
    pub(crate) fn answer_call(&mut self, now: Instant, call: usize, out: &mut Outbox) {
        let Some(c) = self.calls.get_mut(call) else { return };
        let Some(slot) = c.invite_txn.take() else { return };
        let (tag, body) = (super::Token::copy_of(c.dialog.local_tag()), c.sdp_answer.take());
        c.state = CallState::Answered;
        let setup = now.saturating_duration_since(c.started).as_micros();
        let _ = self.setup_us.record(u64::try_from(setup).unwrap_or(u64::MAX).max(1));
        let extra = Extra { dialog: true, allow: true, sdp: body.as_deref(), ..Extra::default() };
        let seq = self.ist.get(slot).and_then(|t| t.request.cseq_number()).unwrap_or(0);
        let ok = self.answer_invite(now, slot, 200, "OK", Some(&tag), extra, out);
        self.stats.calls_answered += 1;
        self.start_2xx_retransmission(now, call, ok, seq);
        self.open_media(call, out);
        self.emit(call, EventKind::Answered, out);
    }

    /// RFC 3261 §13.3.1.4: the TU resends its 2xx from T1 doubling to T2
    /// until the ACK, and gives up after 64·T1.
    pub(crate) fn start_2xx_retransmission(
        &mut self,
        now: Instant,
        call: usize,
        ok: Option<bytes::Bytes>,
        seq: u32,
    ) {
        let t1 = self.cfg.timers.t1;
        if let Some(c) = self.calls.get_mut(call) {
            c.pending_2xx = ok;
            c.pending_cseq = seq;
            c.interval_2xx = t1;
        }
        self.arm_call_timer(now, call, CallTimer::Retransmit2xx, t1);
        self.arm_call_timer(now, call, CallTimer::AckTimeout, self.cfg.timers.t1x64());
    }
}
