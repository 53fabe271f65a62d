//! Inside an established dialog: the peer's requests (CSeq order, BYE,
//! re-INVITE and UPDATE offers) and ours (BYE, re-INVITE, INFO) with their
//! outcomes (RFC 3261 §12.2, §14, §15; RFC 3311, RFC 6086); what our
//! non-INVITE requests came to is `request_outcome`.

use bytes::Bytes;

use super::step::{Step, With};
use super::{Call, CallTimer, InDialog, Reinvite};
use crate::core::CallErrorKind;
use crate::dialog::{CallState, EndReason};

impl Call {
    /// A request from the peer with CSeq `seq`: false (and an error) when
    /// it is out of order (§12.2.2; the shard answers 500).
    pub(crate) fn check_cseq(&mut self, seq: u32, method: &str, step: &mut Step) -> bool {
        if seq <= self.dialog.remote_cseq {
            step.error(CallErrorKind::Protocol, || format!("{method} with CSeq {seq} out of order"));
            return false;
        }
        self.dialog.remote_cseq = seq;
        true
    }

    /// The peer's BYE (answered 200 by the shard). In an early dialog the
    /// caller gave up before the answer, like a CANCEL: the INVITE ends
    /// with 487.
    pub(crate) fn on_bye(&mut self, step: &mut Step) {
        let Some(txn) = self.invite_txn.take() else { return step.end(EndReason::RemoteBye) };
        step.respond(txn, 487, With { tag: true, ..With::default() });
        step.end(EndReason::Cancelled);
    }

    /// Whether a re-INVITE or UPDATE offer can be answered now: our port
    /// and the SDP version for the answer, or the status refusing it
    /// (491 on glare, §14.2; 500 with Retry-After while busy).
    pub(crate) fn offer_allowed(&self) -> Result<(u16, u64), (u16, &'static str)> {
        if self.reinvite.is_some() || self.state != CallState::Confirmed {
            return Err(match self.reinvite {
                Some(Reinvite::Outgoing { .. } | Reinvite::Refresh { .. }) => (491, "Request Pending"),
                _ => (500, "Server Internal Error"),
            });
        }
        Ok((self.media.local_port.unwrap_or(0), self.media.sdp_version + 1))
    }

    /// An offer we could not answer.
    pub(crate) fn offer_refused(&mut self, code: u16, reason: &str, step: &mut Step) {
        step.error(CallErrorKind::Protocol, || format!("offer refused {code}: {reason}"));
    }

    /// We answered the peer's offer (SDP `version`, holding us or not).
    /// A re-INVITE's 200 goes through server transaction `txn` to
    /// `reply_to` and is resent until its ACK; an UPDATE's went already.
    pub(crate) fn offer_answered(
        &mut self,
        version: u64,
        held: bool,
        reinvite: Option<(usize, Bytes, crate::txn::Peer)>,
        step: &mut Step,
    ) {
        let was_held = self.media.remote_held;
        self.media.sdp_version = version;
        if let Some((txn, body, reply_to)) = reinvite {
            self.response_to = reply_to;
            let session = self.session_header();
            let with = With { dialog: true, sdp: Some(body), keep: true, session, ..With::default() };
            step.respond(txn, 200, with);
            self.reinvite = Some(Reinvite::Incoming);
            self.resend_2xx_until_acked(step);
        }
        if was_held != held {
            self.media.set_held(true, held, step);
        }
    }

    /// Starts our BYE; the call ends with `reason` when it is answered.
    pub(crate) fn hang_up(&mut self, reason: EndReason, step: &mut Step) {
        if self.state == CallState::Terminating {
            return;
        }
        self.enter(CallState::Terminating);
        self.ending = Some(reason);
        self.ok = None;
        let t = &mut self.timers;
        step.disarm([
            t.take(CallTimer::Retransmit2xx),
            t.take(CallTimer::AckTimeout),
            t.take(CallTimer::Hangup),
        ]);
        step.request(InDialog::Bye);
    }

    /// The final response (0: Timer B) to our re-INVITE in client
    /// transaction `txn`: ACK a 2xx (every retransmission too, §13.2.2.4)
    /// and apply the hold state it asked for; music on hold only when the
    /// answer still `listens` (not `inactive`).
    pub(crate) fn on_reinvite_final(
        &mut self,
        txn: usize,
        code: u16,
        cseq: u32,
        listens: bool,
        step: &mut Step,
    ) {
        if self.on_refresh_invite_final(txn, code, cseq, step) {
            return;
        }
        if !(200..300).contains(&code) {
            // §14.1: a re-INVITE that times out ends the dialog.
            self.reinvite = None;
            return self.request_failed("INVITE", code, step);
        }
        step.request(InDialog::Ack(cseq));
        if let Some(Reinvite::Outgoing { slot, hold }) = self.reinvite
            && slot == txn
        {
            self.reinvite = None;
            if !listens {
                self.media.next_hold_music = false;
            }
            self.media.set_held(false, hold, step);
        }
    }

    /// The transport could not send one of the call's messages. A call
    /// we placed whose INVITE cannot be sent ends at once: true when the
    /// shard should drop that INVITE's transaction. Over a stream nothing
    /// is resent, so a BYE that cannot be sent (no connection could be
    /// opened) ends the call at once too.
    pub(crate) fn on_send_failure(&mut self, detail: &str, step: &mut Step) -> bool {
        step.error(CallErrorKind::Transport, || format!("send failed: {detail}"));
        if self.uac.is_some() && self.state == CallState::Calling {
            step.end(EndReason::TransportError);
            return true;
        }
        if self.state == CallState::Terminating && self.transport().reliable() {
            step.end(EndReason::TransportError);
        }
        false
    }
}
