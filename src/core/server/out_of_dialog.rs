//! Requests outside any dialog other than INVITE and REGISTER: OPTIONS
//! answered by the handler (200 tells our capabilities, RFC 3261 §11.2)
//! unless the engine is draining or shutting down (503: a load balancer's
//! probe takes the instance out; shedding INVITEs alone leaves it 200),
//! MESSAGE accepted, and the methods that need a dialog 481. From and To
//! must be readable: the response echoes them.

use std::net::SocketAddr;
use std::time::Instant;

use super::{Extra, reason_phrase};
use crate::core::{IncomingRequest, Outbox, ShardCore};
use crate::sip::{Message, Method, ResponseHead};
use crate::txn::TxnKey;

impl ShardCore {
    pub(crate) fn on_out_of_dialog(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        out: &mut Outbox,
    ) {
        let tag = self.ids.token();
        let (code, reason, extra) = if let Err(e) = msg.from_tag() {
            self.stats.bad_requests += 1;
            (400, e.reason_phrase(), Extra::default())
        } else {
            match msg.method() {
                Method::Options if self.admission.stopping => {
                    (503, "Service Unavailable - Shutting Down", Extra::default())
                }
                Method::Options => {
                    let code = self.handler.on_options(&IncomingRequest { msg, source: from }).code();
                    (code, reason_phrase(code), Extra { capabilities: code == 200, ..Extra::default() })
                }
                Method::Message => (200, "OK", Extra::default()),
                // BYE, INFO, UPDATE, NOTIFY need a dialog.
                _ => {
                    self.stats.unknown_dialog += 1;
                    (481, "Call/Transaction Does Not Exist", Extra::default())
                }
            }
        };
        let head = ResponseHead { code, reason, to_tag: Some(&tag), source: None };
        self.reply_non_invite(now, key, msg, from, head, extra, None, out);
    }
}
