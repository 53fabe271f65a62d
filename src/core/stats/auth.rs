//! Counters of digest authentication as a UAS.

/// What the authenticator did with the requests it had to check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthStats {
    /// Challenges sent (401/407), stale ones included.
    pub challenged: u64,
    /// Requests whose credentials held.
    pub accepted: u64,
    /// Credentials that did not hold (wrong password, unknown user,
    /// malformed, wrong realm or URI), counted per source.
    pub failed: u64,
    /// Right credentials on an expired nonce: challenged with `stale=true`.
    pub stale: u64,
    /// A nonce count used again (a replay): challenged afresh.
    pub replayed: u64,
    /// Requests refused 403 because their source failed too often.
    pub forbidden: u64,
}

impl AuthStats {
    /// Adds another shard's counters.
    pub fn merge(&mut self, o: &AuthStats) {
        self.challenged += o.challenged;
        self.accepted += o.accepted;
        self.failed += o.failed;
        self.stale += o.stale;
        self.replayed += o.replayed;
        self.forbidden += o.forbidden;
    }
}
