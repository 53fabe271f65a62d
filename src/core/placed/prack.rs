//! Our PRACK for a reliable provisional (RFC 3262 §4), sent in the early
//! dialog that provisional made (its To tag, Contact and Record-Route),
//! with the next CSeq of the call and an RAck naming it.

use crate::core::reliable::RAck;
use crate::core::requests::{dialog_request, strip_brackets};
use crate::core::{CallHandle, Outbox, ShardCore};
use crate::dialog::Dialog;
use crate::sip::Method;
use crate::txn::{NonInviteClientTxn, TxnKey};

impl ShardCore {
    /// PRACKs the provisional `rack` names, in early dialog `d` of the
    /// call in `slot`, through a client transaction of the call's.
    #[inline(never)]
    pub(crate) fn send_prack(
        &mut self,
        slot: usize,
        call: CallHandle,
        d: &Dialog,
        rack: RAck,
        out: &mut Outbox,
    ) {
        let branch = self.ids.branch();
        let generation = self.ids.generation();
        let Some(c) = self.calls.get_mut(slot) else { return };
        let peer = c.request_peer().at(d.peer());
        let seq = c.next_local_cseq();
        let local = self.cfg.local_for(peer.transport).to_string();
        let via = (peer.transport, local.as_str(), branch.as_str());
        let target = strip_brackets(d.remote_target());
        let mut num = itoa::Buffer::new();
        let mut value = String::with_capacity(32);
        value.push_str(num.format(rack.rseq));
        value.push(' ');
        value.push_str(num.format(rack.cseq));
        value.push_str(" INVITE");
        let data = dialog_request(&mut self.writer, d, "PRACK", target, seq, via)
            .header("RAck", &value)
            .header("User-Agent", &self.cfg.user_agent)
            .finish();
        let mut ctx = self.clock.txn(self.step.now, &mut out.transmits, Some(call));
        let txn = self.nict.next_slot();
        let mut t = NonInviteClientTxn::start(&mut ctx, txn, generation, peer, Method::Prack, data);
        t.call = Some(slot);
        let txn = self.nict.insert(TxnKey::client(&branch, Method::Prack, "PRACK"), t);
        c.prack_started(txn);
        self.stats.uac.pracks_sent += 1;
    }
}
