//! A new INVITE: refused at once (a merged request, no room, a bad
//! dialog or offer), or made a call whose handler decides what follows
//! (ring, answer, reject, redirect, defer).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use super::Extra;
use crate::core::call::Call;
use crate::core::offer_answer::SdpAnswer;
use crate::core::reliable::{PeerAsks, ReliableUas};
use crate::core::{
    CallDirection, CallInfo, Event, EventKind, IncomingCall, IncomingRequest, OfferSummary, Outbox, ShardCore,
};
use crate::dialog::Dialog;
use crate::sip::{HeaderName, Message, ResponseHead};
use crate::txn::TxnKey;

impl ShardCore {
    pub(crate) fn on_new_invite(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        out: &mut Outbox,
    ) {
        let tag = self.ids.token();
        let session =
            self.cfg.session_timer.as_ref().map(|st| crate::core::session_timer::negotiate(st, msg));
        // Refusals make the transaction at once; an accepted call makes it
        // after reading the request, which it then moves in (no clone).
        let refusal = if self.calls.find(msg.call_id()).is_some() {
            // A merged request (RFC 3261 §8.2.2.2) or a Call-ID reused.
            Err((482, "Loop Detected", Extra::default()))
        } else if let Some(Err(min)) = session {
            // RFC 4028 §8.1: an interval below our Min-SE.
            Err((422, "Session Interval Too Small", Extra { min_se: Some(min), ..Extra::default() }))
        } else if let Err(reason) = self.admission.admit_call(&self.cfg, from, &mut self.stats) {
            Err((503, reason, Extra { retry_after: Some(5), ..Extra::default() }))
        } else {
            let accepted = match Dialog::from_invite(msg, &tag, from) {
                Err(e) => Err((400, e.reason_phrase(), Extra::default())),
                // The port pair is taken only for a request that can become
                // a call.
                Ok(dialog) => match self.answer_new_call(msg) {
                    Ok(a) => Ok((dialog, a)),
                    Err((code, reason)) => {
                        let retry_after = (code == 503).then_some(5);
                        Err((code, reason, Extra { accept: code == 415, retry_after, ..Extra::default() }))
                    }
                },
            };
            if accepted.is_err() {
                // Admitted, then refused: its slot of the call limit goes back.
                self.admission.call_slot_freed();
            }
            accepted
        };
        let (dialog, answer) = match refusal {
            Ok(accepted) => accepted,
            Err((code, reason, extra)) => {
                let head = ResponseHead { code, reason, to_tag: Some(&tag), source: None };
                return self.refuse_with(now, from, key, msg, head, extra, out);
            }
        };
        let transport = self.arrived.transport;
        let info =
            self.cfg.events.then(|| Arc::new(CallInfo::of(CallDirection::Incoming, &dialog, transport)));
        let offer = answer.port.map(|_| OfferSummary {
            media_addr: answer.remote,
            codec: if answer.payload_type == 8 { "PCMA" } else { "PCMU" },
            on_hold: answer.held,
        });
        let txn = self.new_ist(key, msg, from);
        let reply_to = self.ist.get(txn).map_or(self.arrived, |t| t.reply_to);
        let mut call =
            Call::incoming(self.ids.generation(), dialog, now, reply_to, txn, answer).with_info(info.clone());
        if let Some(Ok(n)) = session {
            call.set_session(n);
        }
        if let Some(request) = self.ist.get(txn).and_then(|t| t.request()) {
            if PeerAsks::of(request) != PeerAsks::No {
                let cseq = request.cseq_number().unwrap_or(0);
                call.send_reliably(ReliableUas::new(cseq, self.ids.number()));
            }
            if request.body().is_empty() {
                call.late_offer();
            }
        }
        let slot = self.calls.insert(call);
        self.admission.call_started(&self.cfg, from);
        if let Some(t) = self.ist.get_mut(txn) {
            t.call = Some(slot);
        }
        self.stats.calls_received += 1;
        self.stats.active_calls += 1;
        self.stats.peak_active_calls = self.stats.peak_active_calls.max(self.stats.active_calls);
        let handle = self.handle(slot);
        if let Some(info) = info {
            out.events.push(Event::new(handle, now, info, EventKind::Incoming));
        }
        let Some(request) = self.ist.get(txn).and_then(|t| t.request()) else { return };
        let incoming =
            IncomingCall { handle, request: IncomingRequest { msg: request, source: from }, offer };
        let decision = self.handler.on_incoming(&incoming);
        if let Some(c) = self.calls.get_mut(slot) {
            c.decide(decision, &mut self.step);
        }
        self.run_effects(slot, out);
    }

    /// Our SDP for a new call's INVITE on a port pair taken from the
    /// stock, which goes back when no stream was accepted. Errors are the
    /// status to refuse the call with (503 when no pair is free, counted;
    /// 406 when the caller's Accept rules out the SDP our 200 carries).
    fn answer_new_call(&mut self, msg: &Message) -> Result<SdpAnswer, (u16, &'static str)> {
        if !accepts_sdp(msg) {
            return Err((406, "Not Acceptable"));
        }
        let Some(port) = self.ports.take() else {
            self.stats.media_refused += 1;
            return Err((503, "Service Unavailable - No RTP Ports"));
        };
        let answer = self.sdp.answer_offer(msg, port, 1, None);
        if !matches!(&answer, Ok(a) if a.port.is_some()) {
            self.ports.give_back(port);
        }
        answer
    }
}

/// Whether the request's Accept allows `application/sdp` (RFC 3261
/// §20.1: none means it does; an empty one allows nothing; RFC 4475
/// §3.3.15).
pub(crate) fn accepts_sdp(msg: &Message) -> bool {
    if msg.header(HeaderName::Accept).is_none() {
        return true;
    }
    msg.list(HeaderName::Accept).any(|range| {
        let media = range.split(';').next().unwrap_or("").trim();
        let (kind, sub) = media.split_once('/').unwrap_or((media, ""));
        let (kind, sub) = (kind.trim(), sub.trim());
        (kind == "*" && sub == "*")
            || (kind.eq_ignore_ascii_case("application") && (sub == "*" || sub.eq_ignore_ascii_case("sdp")))
    })
}
