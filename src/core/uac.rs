//! Requests we send inside a dialog (RFC 3261 §12.2.1.1): BYE and
//! re-INVITE through client transactions, ACK for a 2xx directly.

use std::time::Instant;

use super::call_table::Reinvite;
use super::{Outbox, ShardCore};
use crate::dialog::Dialog;
use crate::sip::{Builder, HeaderName, Message, Writer};
use crate::txn::{InviteClientTxn, NonInviteClientTxn, TxnCtx, TxnKey};

/// A request we send inside a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InDialog<'a> {
    Bye,
    /// INFO (RFC 6086) with the application's body.
    Info {
        content_type: &'a str,
        body: &'a [u8],
    },
    /// REFER (RFC 3515) to this target URI.
    Refer {
        target: &'a str,
    },
    /// ACK for the 2xx to our INVITE with this CSeq number.
    Ack(u32),
    /// re-INVITE putting the peer on hold (true) or resuming (false).
    Reinvite {
        hold: bool,
    },
}

impl ShardCore {
    /// Sends a request in the call's dialog; BYE and re-INVITE go through
    /// client transactions and take the next local CSeq.
    pub(crate) fn send_in_dialog(&mut self, now: Instant, call: usize, req: InDialog<'_>, out: &mut Outbox) {
        let (method, ack_seq, hold) = match req {
            InDialog::Bye => ("BYE", None, false),
            InDialog::Info { .. } => ("INFO", None, false),
            InDialog::Refer { .. } => ("REFER", None, false),
            InDialog::Ack(seq) => ("ACK", Some(seq), false),
            InDialog::Reinvite { hold } => ("INVITE", None, hold),
        };
        let branch = format!("z9hG4bK{}", &*self.next_id());
        let local = self.cfg.local.to_string();
        let sdp = if method == "INVITE" {
            let port = self.calls.get(call).and_then(|c| c.local_port).unwrap_or(0);
            let version = self.calls.get_mut(call).map(|c| {
                c.sdp_version += 1;
                c.sdp_version
            });
            Some(self.sdp.offer(port, version.unwrap_or(1), hold))
        } else {
            None
        };
        let Some(c) = self.calls.get_mut(call) else { return };
        let seq = match ack_seq {
            Some(s) => s,
            None => {
                c.dialog.local_cseq += 1;
                c.dialog.local_cseq
            }
        };
        let d = &c.dialog;
        let peer = d.peer();
        let target = if d.remote_target().is_empty() { d.remote_addr() } else { d.remote_target() };
        let target = target.to_owned();
        let mut b =
            dialog_request(&mut self.writer, d, method, strip_brackets(&target), seq, &local, &branch);
        if matches!(method, "INVITE" | "REFER") {
            b = b.contact(&self.sdp.contact);
        }
        if let InDialog::Refer { target } = req {
            b = b.header("Refer-To", &format!("<{target}>"));
        }
        b = b.header("User-Agent", &self.cfg.user_agent);
        let data = match (&sdp, req) {
            (Some(body), _) => b.body("application/sdp", body),
            (None, InDialog::Info { content_type, body }) => b.body(content_type, body),
            _ => b.finish(),
        };
        if method == "ACK" {
            out.datagrams.push(crate::txn::OutDatagram { to: peer, data });
            return;
        }
        let generation = self.next_generation();
        let mut ctx =
            TxnCtx { now, wheel: &mut self.wheel, out: &mut out.datagrams, timers: &self.cfg.timers };
        if method == "INVITE" {
            let Ok(msg) = Message::parse(data) else { return };
            let key = TxnKey::client(&branch, msg.method(), method);
            let slot = self.ict.next_slot();
            let mut txn = InviteClientTxn::start(&mut ctx, slot, generation, peer, msg);
            txn.call = Some(call);
            self.ict.insert(key, txn);
            if let Some(c) = self.calls.get_mut(call) {
                c.reinvite = Some(Reinvite::Outgoing { slot, hold });
                c.reinvite_txn = Some(slot as u32);
            }
        } else {
            let key = TxnKey::client(&branch, crate::sip::Method::from_token(method.as_bytes()), method);
            let slot = self.nict.next_slot();
            let mut txn = NonInviteClientTxn::start(&mut ctx, slot, generation, peer, data);
            txn.call = Some(call);
            self.nict.insert(key, txn);
            if let Some(c) = self.calls.get_mut(call) {
                let txn = Some(slot as u32);
                match req {
                    InDialog::Info { .. } => c.info_txn = txn,
                    InDialog::Refer { .. } => c.refer_txn = txn,
                    _ => c.bye_txn = txn,
                }
            }
        }
    }
}

/// The request line and the dialog's headers (Via, Max-Forwards, From
/// with our tag, To, Call-ID, CSeq, Route) of a request in `d`.
pub(crate) fn dialog_request<'w>(
    writer: &'w mut Writer,
    d: &Dialog,
    method: &str,
    uri: &str,
    seq: u32,
    local: &str,
    branch: &str,
) -> Builder<'w> {
    writer
        .request(method, uri)
        .via("UDP", local, branch)
        .max_forwards(70)
        .name_addr(HeaderName::From, d.local_addr(), Some(d.local_tag()))
        .name_addr(HeaderName::To, d.remote_addr(), None)
        .call_id(d.call_id())
        .cseq(seq, method)
        .routes(d.route_set())
}

/// A Request-URI is the bare URI of a name-addr (`<sip:a@b>` → `sip:a@b`).
pub(crate) fn strip_brackets(addr: &str) -> &str {
    match (addr.find('<'), addr.find('>')) {
        (Some(l), Some(r)) if l < r => &addr[l + 1..r],
        _ => addr,
    }
}
