//! Requests we send inside a call's dialog (RFC 3261 §12.2.1.1): BYE,
//! re-INVITE, INFO and REFER through client transactions, ACK for a 2xx
//! directly; and the responses to every request we sent.

mod responses;

use crate::core::call::InDialog;
use crate::core::{CallHandle, Outbox, ShardCore, Transmit};
use crate::dialog::Dialog;
use crate::sip::{Builder, HeaderName, Method, Transport, Writer};
use crate::txn::{InviteClientTxn, MessageKind, NonInviteClientTxn, TxnKey};

impl InDialog {
    fn method(&self) -> Method {
        match self {
            InDialog::Bye => Method::Bye,
            InDialog::Info { .. } => Method::Info,
            InDialog::Refer { .. } => Method::Refer,
            InDialog::Notify(_) => Method::Notify,
            InDialog::Ack(_) => Method::Ack,
            InDialog::Reinvite { .. } => Method::Invite,
            InDialog::Update => Method::Update,
            InDialog::RefreshInvite => Method::Invite,
        }
    }
}

impl ShardCore {
    /// Sends a request in the dialog of the call in `slot`; all but ACK
    /// go through client transactions and take the next local CSeq.
    #[inline(never)]
    pub(crate) fn send_in_dialog(
        &mut self,
        slot: usize,
        handle: CallHandle,
        req: InDialog,
        out: &mut Outbox,
    ) {
        let method = req.method();
        let branch = self.ids.branch();
        let Some(c) = self.calls.get_mut(slot) else { return };
        let transport = c.transport();
        let local = self.sent_by.on(transport);
        let sdp = match req {
            InDialog::Reinvite { hold } => {
                let (port, version) = (c.local_port().unwrap_or(0), c.next_sdp_version());
                let crypto = self.sdp.offer_keys(c.srtp_suite());
                let body = self.sdp.offer(port, version, hold, &crypto);
                c.offering(crypto);
                Some(body)
            }
            // The same session again: its version stays (RFC 3264 §8),
            // unless the call is encrypted: then the offer carries a
            // fresh key of the current suite, a new version, and its
            // answer re-keys the stream like any re-INVITE's.
            InDialog::RefreshInvite => {
                let crypto = self.sdp.offer_keys(c.srtp_suite());
                let version = if crypto.is_empty() { c.sdp_version() } else { c.next_sdp_version() };
                let body = self.sdp.offer(c.local_port().unwrap_or(0), version, c.holds_peer(), &crypto);
                c.offering(crypto);
                Some(body)
            }
            _ => None,
        };
        let seq = match req {
            InDialog::Ack(seq) => seq,
            _ => c.next_local_cseq(),
        };
        let refresh = c.refresh_seconds().filter(|_| matches!(method, Method::Invite | Method::Update));
        let peer = c.request_peer();
        let d = c.dialog();
        let target = if d.remote_target().is_empty() { d.remote_addr() } else { d.remote_target() };
        let name = method.as_str();
        let via = (transport, local, branch.as_str());
        let mut b = dialog_request(&mut self.writer, d, name, strip_brackets(target), seq, via);
        if matches!(method, Method::Invite | Method::Refer | Method::Notify) {
            b = b.contact(self.sdp.contact_for(transport));
        }
        if let InDialog::Refer { target } = &req {
            b = b.header("Refer-To", &format!("<{target}>"));
        }
        if let Some(seconds) = refresh {
            // We send the refresh, so we are its UAC: refresher=uac.
            b = b.header("Session-Expires", &format!("{seconds};refresher=uac")).header("Supported", "timer");
        }
        b = b.header("User-Agent", &self.cfg.user_agent);
        let data = match (&sdp, &req) {
            (Some(body), _) => b.body("application/sdp", body),
            (None, InDialog::Info { content_type, body }) => b.body(content_type, body),
            (None, &InDialog::Notify(n)) => crate::core::transfer::write_notify(b, n),
            _ => b.finish(),
        };
        if method == Method::Ack {
            out.transmits.push(Transmit {
                to: peer,
                data: data.clone(),
                kind: MessageKind::Request(method),
                call: Some(handle),
            });
            return c.ack_sent(data);
        }
        let generation = self.ids.generation();
        let mut ctx = self.clock.txn(self.step.now, &mut out.transmits, Some(handle));
        let key = TxnKey::client(&branch, method, name);
        let txn = if method == Method::Invite {
            let txn = self.ict.next_slot();
            let mut t = InviteClientTxn::start(&mut ctx, txn, generation, peer, data);
            t.call = Some(slot);
            self.ict.insert(key, t)
        } else {
            let txn = self.nict.next_slot();
            let mut t = NonInviteClientTxn::start(&mut ctx, txn, generation, peer, method, data);
            t.call = Some(slot);
            self.nict.insert(key, t)
        };
        c.request_started(&req, txn);
    }
}

/// The request line and the dialog's headers (Via, Max-Forwards, From
/// with our tag, To, Call-ID, CSeq, Route) of a request in `d`; `via` is
/// (transport, sent-by, branch).
pub(crate) fn dialog_request<'w>(
    writer: &'w mut Writer,
    d: &Dialog,
    method: &str,
    uri: &str,
    seq: u32,
    via: (Transport, &str, &str),
) -> Builder<'w> {
    let (transport, local, branch) = via;
    writer
        .request(method, uri)
        .via(transport.via_token(), local, branch)
        .max_forwards(70)
        .name_addr(HeaderName::From, d.local_addr(), Some(d.local_tag()))
        .name_addr(HeaderName::To, d.remote_addr(), None)
        .call_id(d.call_id())
        .cseq(seq, method)
        .routes(d.route_set())
}

/// Our INVITE for a new call (with `auth`, a (header, value) answering a
/// challenge, when resent): the Allow list beside our Contact.
pub(crate) fn invite_headers<'w>(
    b: Builder<'w>,
    contact: &str,
    allow: &str,
    user_agent: &str,
) -> Builder<'w> {
    b.contact(contact).header("Allow", allow).header("User-Agent", user_agent)
}

/// A Request-URI is the bare URI of a name-addr (`<sip:a@b>` → `sip:a@b`).
pub(crate) fn strip_brackets(addr: &str) -> &str {
    match (addr.find('<'), addr.find('>')) {
        (Some(l), Some(r)) if l < r => &addr[l + 1..r],
        _ => addr,
    }
}
