//! Digest authentication as a UAS (RFC 3261 §22, RFC 7616, RFC 8760):
//! requests of the configured methods from outside any dialog must carry
//! credentials for our realm, or get a 401/407 challenge offering each
//! configured hash with `qop=auth`. Nonces are stateless (`nonce`); the
//! nonce counts seen are remembered per shard, bounded (`replay`);
//! failures are counted per source, which then gets 403 (`failures`).
//! Secrets come from the application's `CredentialStore` (`store`).

mod check;
mod config;
mod failures;
mod nonce;
mod replay;
mod respond;
mod store;

pub use config::AuthConfig;
pub use nonce::NonceKey;
pub use store::{CredentialStore, Secret, UserTable};

pub(crate) use check::Verdict;

use std::time::Instant;

use failures::SourceFailures;
use nonce::Nonces;
use replay::NcMemory;

/// One shard's authentication state.
#[derive(Debug)]
pub(crate) struct AuthState {
    nonces: Nonces,
    replay: NcMemory,
    failures: SourceFailures,
}

impl AuthState {
    /// The state for a core configured with `cfg`, whose shards share
    /// `epoch` (nonce stamps count from it).
    pub(crate) fn new(cfg: &AuthConfig, shard: u16, epoch: Instant) -> AuthState {
        AuthState {
            nonces: Nonces::new(cfg.key.clone(), epoch, shard, cfg.nonce_lifetime),
            replay: NcMemory::new(replay::MAX_NONCES),
            failures: SourceFailures::default(),
        }
    }

    /// A new nonce issued at `now`.
    pub(crate) fn mint_nonce(&mut self, now: Instant) -> String {
        self.nonces.mint(now)
    }
}
