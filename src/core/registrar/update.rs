//! One REGISTER's changes to an address-of-record's bindings (RFC 3261
//! §10.3 steps 6-7), applied all or none.

use std::time::{Duration, Instant};

use super::{Binding, Store};

/// What a REGISTER asks for one contact (or for all of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change<'a> {
    /// `Contact: *` with `Expires: 0`: every binding goes.
    RemoveAll,
    /// Bind `uri` (known by `key`) for `expires` seconds; 0 removes it.
    Bind { key: String, uri: &'a str, expires: u32 },
}

/// A REGISTER's changes, and the Call-ID and CSeq that order them.
#[derive(Debug, Clone)]
pub(crate) struct Update<'a> {
    pub(crate) call_id: &'a str,
    pub(crate) cseq: u32,
    pub(crate) changes: Vec<Change<'a>>,
}

/// Why a REGISTER changed nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UpdateError {
    /// A binding it touches came with the same Call-ID and a CSeq not
    /// lower than this one (a reordered or replayed REGISTER).
    OutOfOrder,
    /// The store holds its most bindings.
    Full,
}

impl Store {
    pub(crate) fn update(
        &mut self,
        aor: &str,
        u: &Update<'_>,
        now: Instant,
    ) -> Result<Vec<Binding>, UpdateError> {
        let old = self.by_aor.get(aor).map_or(&[][..], Vec::as_slice);
        let stale = |b: &Binding| b.call_id == u.call_id && u.cseq <= b.cseq;
        let mut list: Vec<Binding> = old.iter().filter(|b| b.expires_at > now).cloned().collect();
        for change in &u.changes {
            let touched = match change {
                Change::RemoveAll => list.iter().any(stale),
                Change::Bind { key, .. } => list.iter().any(|b| b.key == *key && stale(b)),
            };
            if touched {
                return Err(UpdateError::OutOfOrder);
            }
        }
        for change in &u.changes {
            match change {
                Change::RemoveAll => list.clear(),
                Change::Bind { key, expires: 0, .. } => list.retain(|b| b.key != *key),
                Change::Bind { key, uri, expires } => {
                    let binding = Binding {
                        key: key.clone(),
                        uri: (*uri).to_owned(),
                        call_id: u.call_id.to_owned(),
                        cseq: u.cseq,
                        expires_at: now + Duration::from_secs(u64::from(*expires)),
                    };
                    match list.iter_mut().find(|b| b.key == *key) {
                        Some(b) => *b = binding,
                        None => list.push(binding),
                    }
                }
            }
        }
        if list.len() > old.len() && self.count - old.len() + list.len() > self.max {
            self.sweep(now);
        }
        let old_len = self.by_aor.get(aor).map_or(0, Vec::len);
        if list.len() > old_len && self.count - old_len + list.len() > self.max {
            return Err(UpdateError::Full);
        }
        self.count = self.count - old_len + list.len();
        if list.is_empty() {
            self.by_aor.remove(aor);
        } else {
            self.by_aor.insert(aor.to_owned(), list.clone());
        }
        Ok(list)
    }

    /// Drops every expired binding.
    fn sweep(&mut self, now: Instant) {
        self.by_aor.retain(|_, list| {
            list.retain(|b| b.expires_at > now);
            !list.is_empty()
        });
        self.count = self.by_aor.values().map(Vec::len).sum();
    }
}

#[cfg(test)]
mod tests {
    use super::super::Registrar;
    use super::*;

    fn bind<'a>(key: &str, expires: u32) -> Change<'a> {
        Change::Bind { key: key.to_owned(), uri: "sip:c@h", expires }
    }

    /// Bindings are added, refreshed, removed and expire; a CSeq that is
    /// not higher for the same Call-ID changes nothing; the cap holds
    /// until expired bindings make room.
    #[test]
    fn bindings_follow_the_rules() {
        let r = Registrar::new(2);
        let t0 = Instant::now();
        let up = |cseq, changes| Update { call_id: "c1", cseq, changes };
        assert_eq!(r.update("sip:a@x", &up(1, vec![bind("k1", 60), bind("k2", 30)]), t0).unwrap().len(), 2);
        assert_eq!(
            r.update("sip:a@x", &up(1, vec![bind("k1", 0)]), t0).unwrap_err(),
            UpdateError::OutOfOrder
        );
        assert_eq!(r.contacts("sip:a@x", t0).len(), 2, "the refused update changed nothing");
        assert_eq!(r.update("sip:b@x", &up(1, vec![bind("k3", 60)]), t0).unwrap_err(), UpdateError::Full);
        let t31 = t0 + Duration::from_secs(31);
        assert_eq!(r.contacts("sip:a@x", t31).len(), 1, "k2 expired");
        assert_eq!(r.update("sip:b@x", &up(1, vec![bind("k3", 60)]), t31).unwrap().len(), 1, "room again");
        let other = Update { call_id: "c2", cseq: 1, changes: vec![Change::RemoveAll] };
        assert!(r.update("sip:a@x", &other, t31).unwrap().is_empty());
        assert!(r.contacts("sip:a@x", t31).is_empty());
        assert_eq!(r.contacts("sip:b@x", t31)[0].1, Duration::from_secs(60));
    }
}
