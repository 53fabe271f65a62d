//! Calls we place (UAC role, RFC 3261 §13.2): the INVITE with our SDP
//! offer through a client transaction on a Call-ID this shard owns, and
//! what its answers make us send — ACK for a fork's 2xx and its BYE,
//! credentials for a challenge, CANCEL. The call itself decides
//! (`core::call`); this writes and sends.

mod auth;
mod cancel;
mod checks;
mod fork;
mod last_checked;
mod outgoing;
mod prack;
mod response;

use std::sync::Arc;
use std::time::Instant;

pub(crate) use last_checked::LastChecked;
pub use outgoing::OutgoingCall;

use crate::core::call::Call;
use crate::core::command::text;
use crate::core::requests::{dialog_request, invite_headers};
use crate::core::{CallDirection, CallHandle, CallInfo, CommandError, Outbox, ShardCore};
use crate::dialog::Dialog;
use crate::sip::Method;
use crate::txn::{InviteClientTxn, TxnKey};

impl ShardCore {
    /// Places a call: the INVITE with our SDP offer goes out. Events
    /// follow (Ringing, Answered, Established, Terminated).
    pub(crate) fn place(
        &mut self,
        now: Instant,
        call: Arc<OutgoingCall>,
        out: &mut Outbox,
    ) -> Result<CallHandle, CommandError> {
        let (peer, transport) = self.last_placed.route(&call)?;
        if self.admission.stopping {
            return Err(CommandError::Stopped);
        }
        if !self.admission.take_call_slot() {
            return Err(CommandError::Overloaded);
        }
        let call_id = self.ids.call_id();
        let tag = self.ids.token();
        let from_uri = call.from.as_deref().unwrap_or(self.sdp.contact_for(transport));
        let from = text::name_addr(call.from_display.as_deref(), from_uri);
        let to = text::name_addr(call.to_display.as_deref(), &call.to);
        let dialog = Dialog::for_uac(&call_id, &tag, &from, &to, &call.request_uri, peer);
        let info =
            self.cfg.events.then(|| Arc::new(CallInfo::of(CallDirection::Outgoing, &dialog, transport)));
        let port = self.ports.take();
        let placed = Call::placed(self.ids.generation(), dialog, now, port, call, transport).with_info(info);
        let slot = self.calls.insert(placed);
        self.stats.uac.placed += 1;
        self.stats.active_calls += 1;
        self.stats.peak_active_calls = self.stats.peak_active_calls.max(self.stats.active_calls);
        self.placed_live += 1;
        self.send_invite(now, slot, None, out);
        Ok(self.handle(slot))
    }

    /// Sends the call's INVITE (again, with `auth` = (header, credentials)
    /// after a challenge) through a new client transaction.
    pub(crate) fn send_invite(
        &mut self,
        now: Instant,
        slot: usize,
        auth: Option<(&str, &str)>,
        out: &mut Outbox,
    ) {
        let branch = self.ids.branch();
        let generation = self.ids.generation();
        let handle = self.handle(slot);
        let Some(c) = self.calls.get_mut(slot) else { return };
        let transport = c.transport();
        let local = self.sent_by.on(transport);
        let Some(seq) = c.leg().map(|l| l.invite_cseq) else { return };
        let crypto = self.sdp.offer_keys(None);
        let body = self.sdp.offer(c.local_port().unwrap_or(9), c.sdp_version(), false, &crypto);
        c.offering(crypto);
        let peer = c.invite_peer();
        let d = c.dialog();
        let via = (transport, local, branch.as_str());
        let b = dialog_request(&mut self.writer, d, "INVITE", d.remote_target(), seq, via);
        let allow = crate::core::server::allow(self.cfg.registrar.is_some());
        let mut b = invite_headers(b, self.sdp.contact_for(transport), allow, &self.cfg.user_agent);
        if let Some((name, value)) = auth {
            b = b.header(name, value);
        }
        if c.leg().is_some_and(|l| l.call.reliable_provisionals) {
            b = b.header("Supported", crate::core::reliable::TAG);
        }
        if let Some(by) = c.leg().and_then(|l| l.call.referred_by.as_deref()) {
            b = b.header("Referred-By", &format!("<{by}>"));
        }
        for (name, value) in c.leg().map_or(&[][..], |l| &l.call.headers[..]) {
            b = b.header(name, value);
        }
        let msg = b.body("application/sdp", &body);
        let key = TxnKey::client(&branch, Method::Invite, "INVITE");
        let mut ctx = self.clock.txn(now, &mut out.transmits, Some(handle));
        let txn = self.ict.next_slot();
        let mut t = InviteClientTxn::start(&mut ctx, txn, generation, peer, msg);
        t.call = Some(slot);
        self.ict.insert(key, t);
        c.invite_sent((txn, generation));
    }
}
