//! Checking a request's credentials: the source's failure record, then
//! the nonce's MAC, the secret, the response, the nonce's age and its
//! count, in that order (a stale nonce is only reported as stale when
//! the response was right for it, RFC 7616 §3.3).

use std::net::IpAddr;
use std::time::Instant;

use subtle::ConstantTimeEq;

use super::nonce::NonceCheck;
use super::replay::NcCheck;
use super::{AuthConfig, AuthState, Secret};
use crate::core::stats::AuthStats;
use crate::sip::Message;
use crate::sip::digest::{DigestCredentials, ha1};

/// What to do with a request that needs credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The credentials hold: serve it.
    Pass,
    /// Challenge it (`stale`: the nonce expired, the password was right).
    Challenge { stale: bool },
    /// Its source failed too often: 403.
    Forbidden,
}

impl AuthState {
    /// Checks `msg` from `ip` at `now`.
    pub(crate) fn verify(
        &mut self,
        cfg: &AuthConfig,
        msg: &Message,
        ip: IpAddr,
        now: Instant,
        stats: &mut AuthStats,
    ) -> Verdict {
        if self.failures.blocked(ip, now, cfg.max_failures, cfg.failure_window) {
            stats.forbidden += 1;
            return Verdict::Forbidden;
        }
        let (.., header) = cfg.names();
        // Credentials for other realms (a proxy's) are not ours to check.
        let ours = msg
            .header_values(header)
            .map(|v| DigestCredentials::parse(v).ok_or(()))
            .find(|c| c.as_ref().map_or(true, |c| c.realm == cfg.realm));
        let creds = match ours {
            None => return Verdict::Challenge { stale: false },
            Some(Err(())) => return self.failed(cfg, ip, now, stats),
            Some(Ok(c)) => c,
        };
        let nonce = self.nonces.check(creds.nonce, now);
        if nonce == NonceCheck::Invalid {
            // Not a guess at the password: a nonce of another run or key.
            return Verdict::Challenge { stale: false };
        }
        if !self.response_holds(cfg, &creds, msg) {
            return self.failed(cfg, ip, now, stats);
        }
        let NonceCheck::Fresh { id, issued } = nonce else {
            stats.stale += 1;
            return Verdict::Challenge { stale: true };
        };
        if !creds.qop_auth {
            // Without qop there is no count to refuse a replay by.
            return self.failed(cfg, ip, now, stats);
        }
        let lifetime_ms = cfg.nonce_lifetime.as_millis() as u64;
        match self.replay.record(id, issued, creds.nc, self.nonces.ms(now), lifetime_ms) {
            NcCheck::Fresh => {
                stats.accepted += 1;
                Verdict::Pass
            }
            NcCheck::Replayed => {
                stats.replayed += 1;
                Verdict::Challenge { stale: false }
            }
            NcCheck::Forgotten => {
                stats.stale += 1;
                Verdict::Challenge { stale: true }
            }
        }
    }

    /// Whether the response is right for the user's secret and the
    /// request's method. The digest-uri is hashed as given, not compared
    /// with the Request-URI: proxies may rewrite that (RFC 2617 §3.2.2),
    /// SIPp writes only the host, and with nonce counts a response cannot
    /// be replayed to another target anyway.
    fn response_holds(&self, cfg: &AuthConfig, creds: &DigestCredentials<'_>, msg: &Message) -> bool {
        if creds.nc == 0 && creds.qop_auth {
            return false;
        }
        let ha1 = match cfg.store.secret(creds.username, creds.realm) {
            Some(Secret::Password(p)) => ha1(creds.algorithm, creds.username, creds.realm, &p),
            Some(Secret::Ha1 { algorithm, hex }) if algorithm == creds.algorithm => hex,
            _ => return false,
        };
        let expected = creds.expected_response(&ha1, msg.method_name());
        let given = creds.response.to_ascii_lowercase();
        bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
    }

    /// A failed attempt: counted for its source, which gets 403 once it
    /// reaches the limit, else a new challenge.
    fn failed(&mut self, cfg: &AuthConfig, ip: IpAddr, now: Instant, stats: &mut AuthStats) -> Verdict {
        stats.failed += 1;
        if self.failures.fail(ip, now, cfg.failure_window) >= cfg.max_failures {
            stats.forbidden += 1;
            return Verdict::Forbidden;
        }
        Verdict::Challenge { stale: false }
    }
}
