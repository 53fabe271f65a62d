//! Credentials for a digest challenge to our INVITE (RFC 3261 §22.2,
//! RFC 8760): the INVITE again, with a new CSeq, answering it.

use crate::core::{Outbox, ShardCore};
use crate::sip::Message;
use crate::sip::digest::Challenge;

impl ShardCore {
    /// Resends the INVITE with credentials for a 401/407 challenge; false
    /// when it cannot (no credentials, no challenge, or the same ones
    /// failed already and the nonce is not stale).
    pub(crate) fn answer_challenge(
        &mut self,
        call: usize,
        code: u16,
        msg: &Message,
        out: &mut Outbox,
    ) -> bool {
        let (challenge, credentials) = if code == 401 {
            ("WWW-Authenticate", "Authorization")
        } else {
            ("Proxy-Authenticate", "Proxy-Authorization")
        };
        let Some(ch) = msg.header_by_name(challenge).and_then(Challenge::parse) else { return false };
        let cnonce = self.ids.token();
        let Some(c) = self.calls.get_mut(call) else { return false };
        // The call's own credentials, else the engine's.
        let own = c.leg().and_then(|l| l.call.credentials.clone());
        let Some(creds) = own.or_else(|| self.cfg.credentials.clone()) else { return false };
        if c.retry_with_credentials(ch.stale).is_none() {
            return false;
        }
        let value = ch.answer(&creds.user, &creds.password, "INVITE", c.dialog().remote_target(), &cnonce, 1);
        self.stats.uac.auth_retries += 1;
        self.send_invite(self.step.now, call, Some((credentials, &value)), out);
        true
    }
}
