//! Responses to the requests we sent: matched to their client
//! transaction, whose outcome goes to the call — the INVITE of a call we
//! placed, a re-INVITE, or a BYE, INFO or REFER.

use std::time::Instant;

use crate::core::offer_answer::answer_listens;
use crate::core::{Outbox, ShardCore};
use crate::sip::{Message, Method};
use crate::txn::{ClientOutcome, TxnKey};

impl ShardCore {
    pub(crate) fn on_response(&mut self, now: Instant, msg: Message, out: &mut Outbox) {
        self.stats.responses_in += 1;
        let class = usize::from(msg.status_code().unwrap_or(0) / 100);
        if let Some(n) = self.stats.responses_in_by_class.get_mut(class) {
            *n += 1;
        }
        let Ok(key) = TxnKey::for_response(&msg) else {
            self.stats.stray_responses += 1;
            return;
        };
        let invite = msg.method() == Method::Invite;
        let found = if invite { self.ict.find(&key) } else { self.nict.find(&key) };
        let Some(slot) = found else {
            self.stats.stray_responses += 1;
            return;
        };
        // The transaction, and a call we placed, go on over the connection
        // the response came on (the runtime picked it for our request).
        let conn = self.arrived.conn;
        if invite {
            let Some(t) = self.ict.get_mut(slot) else { return };
            t.to.conn = t.to.conn.or(conn);
            if let Some(c) = t.call.and_then(|c| self.calls.get_mut(c)) {
                c.learn_conn(conn);
            }
            let call = t.call.map(|c| self.calls.handle(self.cfg.shard, c));
            let mut ctx = self.clock.txn(now, &mut out.transmits, call);
            let outcome = t.on_response(&mut ctx, slot, &msg, &mut self.writer);
            let (call, txn) = (t.call, (slot, t.generation));
            if let (Some(o), Some(call)) = (outcome, call) {
                self.on_invite_outcome(call, txn, o, Some(&msg), out);
            }
            return;
        }
        let Some(t) = self.nict.get_mut(slot) else { return };
        t.to.conn = t.to.conn.or(conn);
        let call = t.call.map(|c| self.calls.handle(self.cfg.shard, c));
        let code = msg.status_code().unwrap_or(0);
        let outcome = t.on_response(&mut self.clock.txn(now, &mut out.transmits, call), slot, code);
        if let (Some(ClientOutcome::Final(code)), Some(call)) = (outcome, t.call) {
            self.on_request_outcome(call, slot, code, out);
        }
    }

    /// The outcome of an INVITE the call in `call` sent through client
    /// transaction `txn` (slot, generation): its own (a call we placed)
    /// or a re-INVITE. `msg` is the response (None: Timer B).
    pub(crate) fn on_invite_outcome(
        &mut self,
        call: usize,
        txn: (usize, u32),
        outcome: ClientOutcome,
        msg: Option<&Message>,
        out: &mut Outbox,
    ) {
        let Some(c) = self.calls.get_mut(call) else { return };
        if c.leg().is_some_and(|l| l.invite_txn == txn) {
            return self.on_placed_invite_outcome(call, outcome, msg, out);
        }
        match outcome {
            ClientOutcome::Final(code) => {
                let cseq = msg.and_then(|m| m.cseq_number()).unwrap_or(0);
                let listens = msg.is_none_or(|m| answer_listens(m.body()));
                c.on_reinvite_final(txn.0, code, cseq, listens, &mut self.step);
                let port = c.local_port().unwrap_or(0);
                let answered = msg.filter(|_| (200..300).contains(&code) && !c.offered().is_empty());
                match answered.and_then(|m| self.sdp.read_answer(m, port, c.offered())) {
                    Some(a) => c.rekey(a.srtp, &mut self.step),
                    None => c.offering(Vec::new()),
                }
            }
            ClientOutcome::Timeout(_) => c.on_reinvite_final(txn.0, 0, 0, true, &mut self.step),
            ClientOutcome::Provisional(_) => return,
        }
        self.run_effects(call, out);
    }

    /// The final response (0: Timer F) to a BYE, INFO or REFER the call
    /// in `call` sent through client transaction `txn`.
    pub(crate) fn on_request_outcome(&mut self, call: usize, txn: usize, code: u16, out: &mut Outbox) {
        if let Some(c) = self.calls.get_mut(call) {
            c.on_request_final(txn, code, &mut self.step);
            self.run_effects(call, out);
        }
    }
}
