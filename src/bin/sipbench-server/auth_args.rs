//! The server's digest authentication flags: a realm and a users file
//! turn it on.

use std::sync::Arc;
use std::time::Duration;

use sipbench::sip::Method;
use sipbench::{AuthConfig, ConfigBuilder, DigestAlgorithm, UserTable};

/// Digest authentication of new requests (RFC 3261 §22, RFC 7616, RFC 8760).
#[derive(clap::Args, Debug, Clone)]
pub struct AuthArgs {
    /// Challenge new INVITEs for this realm (needs --auth-users). Example: --auth-realm sip.example.net
    #[arg(long, requires = "auth_users")]
    pub auth_realm: Option<String>,
    /// Users file: `user:password` (in --auth-realm) or `user:realm:HA1` lines; `#` comments.
    /// Example: --auth-users users.txt
    #[arg(long, requires = "auth_realm")]
    pub auth_users: Option<std::path::PathBuf>,
    /// Hashes offered, most preferred first. Example: --auth-algorithms md5
    #[arg(long, value_delimiter = ',', default_value = "sha-256,md5")]
    pub auth_algorithms: Vec<String>,
    /// Methods that need credentials (besides in-dialog requests, which never do).
    /// Example: --auth-methods invite,register,message
    #[arg(long, value_delimiter = ',', default_value = "invite")]
    pub auth_methods: Vec<String>,
    /// Challenge with 407 Proxy-Authenticate instead of 401. Example: --auth-proxy
    #[arg(long)]
    pub auth_proxy: bool,
    /// Seconds a nonce stays valid; older ones are challenged with stale=true. Example: --auth-nonce-s 60
    #[arg(long, default_value_t = 300)]
    pub auth_nonce_s: u64,
    /// Failed attempts from one source (per shard) before its requests get 403 until it has been
    /// quiet for --auth-failure-window-s. Example: --auth-max-failures 3
    #[arg(long, default_value_t = 5)]
    pub auth_max_failures: u32,
    /// Seconds failures are remembered after the last one. Example: --auth-failure-window-s 300
    #[arg(long, default_value_t = 60)]
    pub auth_failure_window_s: u64,
}

impl AuthArgs {
    /// `b` with authentication as the flags say (unchanged without a realm).
    pub fn apply(&self, b: ConfigBuilder) -> Result<ConfigBuilder, String> {
        let (Some(realm), Some(path)) = (&self.auth_realm, &self.auth_users) else { return Ok(b) };
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("--auth-users {}: {e}", path.display()))?;
        let users =
            UserTable::parse(&text, realm).map_err(|e| format!("--auth-users {}: {e}", path.display()))?;
        let mut auth = AuthConfig::new(realm, Arc::new(users));
        auth.algorithms = self
            .auth_algorithms
            .iter()
            .map(|a| DigestAlgorithm::from_name(a).ok_or_else(|| format!("--auth-algorithms: unknown {a:?}")))
            .collect::<Result<_, _>>()?;
        auth.methods = self
            .auth_methods
            .iter()
            .map(|m| match Method::from_token(m.to_ascii_uppercase().as_bytes()) {
                Method::Extension | Method::Ack | Method::Cancel => Err(format!("--auth-methods: not {m:?}")),
                m => Ok(m),
            })
            .collect::<Result<_, _>>()?;
        auth.proxy = self.auth_proxy;
        auth.nonce_lifetime = Duration::from_secs(self.auth_nonce_s);
        auth.max_failures = self.auth_max_failures;
        auth.failure_window = Duration::from_secs(self.auth_failure_window_s);
        Ok(b.auth(auth))
    }
}
