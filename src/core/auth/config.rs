//! What digest authentication as a UAS needs to know: the realm, the
//! hashes offered, the status of the challenge, the nonce lifetime, the
//! methods challenged, the failure limits and where secrets come from.

use std::sync::Arc;
use std::time::Duration;

use super::{CredentialStore, NonceKey};
use crate::sip::digest::DigestAlgorithm;
use crate::sip::{HeaderName, Method};

/// Digest authentication of requests from outside any dialog (RFC 3261
/// §22, RFC 7616, RFC 8760). Build with [`AuthConfig::new`], then set
/// fields.
#[derive(Clone)]
pub struct AuthConfig {
    /// Protection space named in our challenges.
    pub realm: String,
    /// Hashes offered, one challenge each, most preferred first (RFC
    /// 8760 §2.4). Default: SHA-256, then MD5.
    pub algorithms: Vec<DigestAlgorithm>,
    /// Challenge with 407 `Proxy-Authenticate` (a UAS facing proxies)
    /// instead of 401 `WWW-Authenticate`.
    pub proxy: bool,
    /// A nonce older than this is stale: the caller is challenged again
    /// with `stale=true`.
    pub nonce_lifetime: Duration,
    /// Out-of-dialog methods that need credentials (INVITE by default;
    /// ACK and CANCEL never do).
    pub methods: Vec<Method>,
    /// Failed attempts from one source address (per shard) after which
    /// its requests get 403 until it has been quiet for
    /// `failure_window`.
    pub max_failures: u32,
    /// How long failures are remembered after the last one.
    pub failure_window: Duration,
    /// Tokens a failure takes from its source's bucket when a source
    /// limit is configured (a guesser is slowed to 503s or drops).
    pub failure_penalty: u32,
    /// Where passwords or HA1 hashes come from.
    pub store: Arc<dyn CredentialStore>,
    /// The key nonces are signed with (random per process by default;
    /// cores of one engine share it).
    pub key: NonceKey,
}

impl AuthConfig {
    /// Challenges INVITEs for `realm` with secrets from `store`: SHA-256
    /// and MD5, 401, nonces valid 5 minutes, 403 after 5 failures from a
    /// source within a minute.
    pub fn new(realm: &str, store: Arc<dyn CredentialStore>) -> AuthConfig {
        AuthConfig {
            realm: realm.to_owned(),
            algorithms: vec![DigestAlgorithm::Sha256, DigestAlgorithm::Md5],
            proxy: false,
            nonce_lifetime: Duration::from_secs(300),
            methods: vec![Method::Invite],
            max_failures: 5,
            failure_window: Duration::from_secs(60),
            failure_penalty: 5,
            store,
            key: NonceKey::from_os(),
        }
    }

    /// Whether an out-of-dialog `method` needs credentials.
    pub(crate) fn challenges(&self, method: Method) -> bool {
        !matches!(method, Method::Ack | Method::Cancel) && self.methods.contains(&method)
    }

    /// The status, reason and header names: (401, WWW-Authenticate,
    /// Authorization) or (407, Proxy-Authenticate, Proxy-Authorization).
    pub(crate) fn names(&self) -> (u16, &'static str, &'static str, HeaderName) {
        if self.proxy {
            (407, "Proxy Authentication Required", "Proxy-Authenticate", HeaderName::ProxyAuthorization)
        } else {
            (401, "Unauthorized", "WWW-Authenticate", HeaderName::Authorization)
        }
    }

    /// Why the settings cannot work, if they cannot.
    pub fn check(&self) -> Result<(), String> {
        let r = &self.realm;
        if r.is_empty() || r.bytes().any(|b| !(b.is_ascii_graphic() || b == b' ') || b == b'"' || b == b'\\')
        {
            return Err(format!("realm {r:?} must be printable text without quotes or backslashes"));
        }
        if self.algorithms.is_empty() {
            return Err("offer at least one algorithm".into());
        }
        if self.nonce_lifetime < Duration::from_secs(1) || self.failure_window.is_zero() {
            return Err("nonce_lifetime must be at least 1 s and failure_window more than zero".into());
        }
        if self.max_failures == 0 {
            return Err("max_failures must be at least 1".into());
        }
        Ok(())
    }
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("realm", &self.realm)
            .field("algorithms", &self.algorithms)
            .field("proxy", &self.proxy)
            .field("nonce_lifetime", &self.nonce_lifetime)
            .field("methods", &self.methods)
            .field("max_failures", &self.max_failures)
            .field("failure_window", &self.failure_window)
            .field("failure_penalty", &self.failure_penalty)
            .finish_non_exhaustive()
    }
}
