//! Where the secrets behind digest authentication come from: the
//! application's `CredentialStore`, and `UserTable`, a store read from
//! `user:password` and `user:realm:HA1` lines (the server's
//! `--auth-users` file).

use std::collections::HashMap;

use crate::sip::digest::DigestAlgorithm;

/// A user's secret: the password, or `H(user:realm:password)` for one
/// hash (then only that hash can authenticate the user).
#[derive(Clone, PartialEq, Eq)]
pub enum Secret {
    /// The password itself.
    Password(String),
    /// The HA1 hash, lowercase hex.
    Ha1 {
        /// The hash it was made with.
        algorithm: DigestAlgorithm,
        /// The hex digest.
        hex: String,
    },
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Secret::Password(_) => f.write_str("Secret::Password(..)"),
            Secret::Ha1 { algorithm, .. } => write!(f, "Secret::Ha1({})", algorithm.name()),
        }
    }
}

/// The application's hook for digest authentication: the secret of
/// `user` in `realm`, or None for an unknown user (answered exactly like
/// a wrong password). Called on the shard threads; it must not block.
pub trait CredentialStore: Send + Sync + 'static {
    /// The secret of `user` in `realm`.
    fn secret(&self, user: &str, realm: &str) -> Option<Secret>;
}

/// Users and their secrets, read from lines of `user:password` or
/// `user:realm:HA1` (a 32-digit HA1 is MD5, a 64-digit one SHA-256);
/// blank lines and `#` comments are skipped.
#[derive(Debug, Clone, Default)]
pub struct UserTable {
    users: HashMap<(String, String), Secret>,
    /// The realm of `user:password` lines.
    realm: String,
}

impl UserTable {
    /// Reads `text`; `realm` is the realm of the password lines. The
    /// error names the first line that is neither form.
    pub fn parse(text: &str, realm: &str) -> Result<UserTable, String> {
        let mut users = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || format!("line {}: want user:password or user:realm:HA1", i + 1);
            let (user, rest) = line.split_once(':').ok_or_else(bad)?;
            let entry = match rest.rsplit_once(':') {
                Some((r, ha1)) if ha1.len() == 32 || ha1.len() == 64 => {
                    if !ha1.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return Err(bad());
                    }
                    let algorithm =
                        if ha1.len() == 32 { DigestAlgorithm::Md5 } else { DigestAlgorithm::Sha256 };
                    (r.to_owned(), Secret::Ha1 { algorithm, hex: ha1.to_ascii_lowercase() })
                }
                _ => (realm.to_owned(), Secret::Password(rest.to_owned())),
            };
            if user.is_empty() || entry.0.is_empty() {
                return Err(bad());
            }
            users.insert((user.to_owned(), entry.0), entry.1);
        }
        Ok(UserTable { users, realm: realm.to_owned() })
    }

    /// Adds `user` with `password` in the table's realm.
    pub fn with_password(mut self, user: &str, password: &str) -> UserTable {
        self.users.insert((user.to_owned(), self.realm.clone()), Secret::Password(password.to_owned()));
        self
    }

    /// How many users (per realm) the table holds.
    pub fn len(&self) -> usize {
        self.users.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }
}

impl CredentialStore for UserTable {
    fn secret(&self, user: &str, realm: &str) -> Option<Secret> {
        self.users.get(&(user.to_owned(), realm.to_owned())).cloned()
    }
}
