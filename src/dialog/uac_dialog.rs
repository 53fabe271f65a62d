//! The caller's side of a dialog (RFC 3261 §12.1.2): before any answer it
//! holds our INVITE's fields; a response with a To tag makes the dialog,
//! its remote target from Contact, its route set from Record-Route
//! reversed.

use std::net::SocketAddr;

use super::Dialog;
use crate::sip::{HeaderName, Message};

impl Dialog {
    /// The dialog of a call we place, before any response: `to` has no
    /// tag yet and the remote target is the Request-URI.
    pub fn for_uac(
        call_id: &str,
        local_tag: &str,
        from: &str,
        to: &str,
        request_uri: &str,
        peer: SocketAddr,
    ) -> Dialog {
        let secure = request_uri.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("sips:"));
        let parts = [call_id, local_tag, "", from, to, request_uri];
        Dialog::pack(parts, std::iter::empty(), 0, 1, secure, peer)
    }

    /// The dialog a response to our INVITE makes: remote tag and To from
    /// the response, remote target from its Contact (else the
    /// Request-URI), Record-Route in reverse as the route set.
    pub fn from_uac_response(&self, resp: &Message) -> Dialog {
        let tag = resp.to_tag().ok().flatten().unwrap_or("");
        let to = resp.header(HeaderName::To).unwrap_or(self.remote_addr());
        let target = match resp.contact() {
            Some(Ok(c)) => c.uri,
            _ => self.remote_target(),
        };
        let routes: Vec<&str> = resp.list(HeaderName::RecordRoute).collect();
        let parts = [self.call_id(), self.local_tag(), tag, self.local_addr(), to, target];
        let cseq = resp.cseq_number().unwrap_or(self.local_cseq);
        Dialog::pack(parts, routes.into_iter().rev(), 0, cseq, self.secure, self.source)
    }
}
