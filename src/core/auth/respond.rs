//! Where authentication meets the request path: a request that needs
//! credentials is served, challenged (401/407 with one challenge per
//! hash) or refused 403; each failure also takes tokens from its
//! source's bucket when a source limit is configured.

use std::net::SocketAddr;
use std::time::Instant;

use super::Verdict;
use crate::core::server::Extra;
use crate::core::{Outbox, ShardCore};
use crate::sip::Message;
use crate::txn::TxnKey;

impl ShardCore {
    /// Checks the credentials of `msg` when its method needs them: the
    /// key back when it may be served, None when it was answered.
    pub(crate) fn authorized(
        &mut self,
        now: Instant,
        from: SocketAddr,
        key: TxnKey,
        msg: &mut Message,
        out: &mut Outbox,
    ) -> Option<TxnKey> {
        let (Some(cfg), Some(state)) = (&self.cfg.auth, &mut self.auth) else { return Some(key) };
        if !cfg.challenges(msg.method()) {
            return Some(key);
        }
        let failed_before = self.stats.auth.failed;
        let verdict = state.verify(cfg, msg, from.ip(), now, &mut self.stats.auth);
        if self.stats.auth.failed > failed_before {
            let penalty = cfg.failure_penalty;
            self.admission.penalize(&self.cfg, from, now, penalty);
        }
        let stale = match verdict {
            Verdict::Pass => return Some(key),
            Verdict::Forbidden => {
                let reason = "Forbidden - Authentication Failed";
                self.refuse(now, from, key, msg, 403, reason, Extra::default(), out);
                return None;
            }
            Verdict::Challenge { stale } => stale,
        };
        let Some(cfg) = &self.cfg.auth else { return None };
        let Some(state) = &mut self.auth else { return None };
        let nonce = state.mint_nonce(now);
        let stale = if stale { ", stale=true" } else { "" };
        let challenges: Vec<String> = cfg
            .algorithms
            .iter()
            .map(|a| {
                format!(
                    "Digest realm=\"{}\", nonce=\"{nonce}\", algorithm={}, qop=\"auth\"{stale}",
                    cfg.realm,
                    a.name()
                )
            })
            .collect();
        let (code, reason, header, _) = cfg.names();
        self.stats.auth.challenged += 1;
        let extra = Extra { challenges: Some((header, &challenges)), ..Extra::default() };
        self.refuse(now, from, key, msg, code, reason, extra, out);
        None
    }
}
