//! An in-memory registrar (RFC 3261 §10.3), off unless configured: the
//! bindings of each address-of-record to its contacts, with their expiry,
//! shared by every shard (a REGISTER lands on the shard its Call-ID hashes
//! to, the bindings of one AOR come with many Call-IDs). REGISTER is rare
//! next to calls, so one lock guards it; it never touches the call path.
//! Expired bindings go when their AOR is next written, and all at once
//! when the store is full.

mod update;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

pub(crate) use update::{Change, Update, UpdateError};

/// Bindings kept at most by default.
pub const DEFAULT_MAX_BINDINGS: usize = 10_000;

/// The registrar of one engine; clones share its bindings. Give every
/// core of the engine the same one (`CoreConfig::registrar`).
#[derive(Debug, Clone)]
pub struct Registrar {
    store: Arc<Mutex<Store>>,
}

/// One contact bound to an address-of-record.
#[derive(Debug, Clone)]
pub(crate) struct Binding {
    /// What makes two contacts the same one (RFC 3261 §10.3 step 7).
    pub(crate) key: String,
    /// The contact URI as the UA wrote it.
    pub(crate) uri: String,
    pub(crate) call_id: String,
    pub(crate) cseq: u32,
    pub(crate) expires_at: Instant,
}

#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) by_aor: HashMap<String, Vec<Binding>, ahash::RandomState>,
    pub(crate) count: usize,
    pub(crate) max: usize,
}

impl Registrar {
    /// A registrar that keeps at most `max_bindings` bindings (new ones
    /// beyond get 503).
    pub fn new(max_bindings: usize) -> Registrar {
        let store = Store { max: max_bindings, ..Store::default() };
        Registrar { store: Arc::new(Mutex::new(store)) }
    }

    /// The contacts bound to `aor` (`sip:user@host`, host in lower case)
    /// at `now`, with the time each has left.
    pub fn contacts(&self, aor: &str, now: Instant) -> Vec<(String, Duration)> {
        let store = self.store.lock();
        let bindings = store.by_aor.get(aor).map_or(&[][..], Vec::as_slice);
        bindings.iter().filter(|b| b.expires_at > now).map(|b| (b.uri.clone(), b.expires_at - now)).collect()
    }

    /// Applies a REGISTER's changes to `aor` at `now` as one step (all or
    /// none) and returns the bindings that hold afterwards.
    pub(crate) fn update(
        &self,
        aor: &str,
        update: &Update<'_>,
        now: Instant,
    ) -> Result<Vec<Binding>, UpdateError> {
        self.store.lock().update(aor, update, now)
    }
}

impl Default for Registrar {
    fn default() -> Registrar {
        Registrar::new(DEFAULT_MAX_BINDINGS)
    }
}
