//! A 2xx from a fork other than the one we confirmed (RFC 3261
//! §13.2.2.4): ACK it and end that dialog with BYE; its outcome is
//! nobody's call.

use crate::core::requests::{dialog_request, strip_brackets};
use crate::core::{CallHandle, Outbox, ShardCore, Transmit};
use crate::dialog::Dialog;
use crate::sip::Method;
use crate::txn::{MessageKind, NonInviteClientTxn, TxnKey};

impl ShardCore {
    /// ACKs the fork's 2xx in dialog `d`; sends it BYE unless `again`
    /// (its 2xx again: the ACK went missing, the BYE is on its way).
    #[inline(never)]
    pub(crate) fn release_fork(
        &mut self,
        slot: usize,
        call: CallHandle,
        d: &Dialog,
        again: bool,
        out: &mut Outbox,
    ) {
        let (ack_branch, bye_branch) = (self.ids.branch(), self.ids.branch());
        let generation = self.ids.generation();
        // The fork's dialog, reached the way the call is.
        let Some(flow) = self.calls.get(slot).map(|c| c.request_peer()) else { return };
        let peer = flow.at(d.peer());
        let local = self.sent_by.on(peer.transport);
        let (seq, target) = (d.local_cseq, strip_brackets(d.remote_target()));
        let w = &mut self.writer;
        let via = (peer.transport, local, ack_branch.as_str());
        let ack = dialog_request(w, d, "ACK", target, seq, via).finish();
        let kind = MessageKind::Request(Method::Ack);
        out.transmits.push(Transmit { to: peer, data: ack, kind, call: Some(call) });
        if again {
            return;
        }
        let via = (peer.transport, local, bye_branch.as_str());
        let bye = dialog_request(w, d, "BYE", target, seq + 1, via).finish();
        let mut ctx = self.clock.txn(self.step.now, &mut out.transmits, Some(call));
        let slot = self.nict.next_slot();
        let t = NonInviteClientTxn::start(&mut ctx, slot, generation, peer, Method::Bye, bye);
        self.nict.insert(TxnKey::client(&bye_branch, Method::Bye, "BYE"), t);
        self.stats.uac.forks_released += 1;
    }
}
