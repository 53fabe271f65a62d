//! Requests outside any dialog other than INVITE: OPTIONS and REGISTER
//! answered by the handler, MESSAGE accepted, methods we do not implement
//! refused 501, and those that need a dialog 481.

use std::net::SocketAddr;
use std::time::Instant;

use super::{Extra, reason_phrase};
use crate::core::{IncomingRequest, Outbox, ShardCore};
use crate::sip::{HeaderName, Message, Method, ResponseHead};
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
        let (code, extra) = match msg.method() {
            Method::Options | Method::Register => self.ask_handler(msg, from),
            Method::Message => (200, Extra::default()),
            Method::Extension | Method::Prack | Method::Subscribe | Method::Publish => {
                (501, Extra { allow: true, ..Extra::default() })
            }
            // BYE, INFO, UPDATE, NOTIFY, REFER need a dialog.
            _ => {
                self.stats.unknown_dialog += 1;
                (481, Extra::default())
            }
        };
        let head = ResponseHead { code, reason: reason_phrase(code), to_tag: Some(&tag), source: None };
        self.reply_non_invite(now, key, msg, from, head, extra, None, out);
    }

    /// OPTIONS and REGISTER: the handler picks the status.
    fn ask_handler<'m>(&mut self, msg: &'m Message, from: SocketAddr) -> (u16, Extra<'m>) {
        let request = IncomingRequest { msg, source: from };
        let (code, extra) = if msg.method() == Method::Options {
            (
                self.handler.on_options(&request).code(),
                Extra { allow: true, accept: true, ..Extra::default() },
            )
        } else {
            let contact = msg.header(HeaderName::Contact);
            let expires = msg.expires().and_then(Result::ok).unwrap_or(3600);
            let registered = contact.map(|c| (c, expires));
            (self.handler.on_register(&request).code(), Extra { registered, ..Extra::default() })
        };
        (code, if code == 200 { extra } else { Extra::default() })
    }
}
