//! The UAC side of RFC 3262 §4: per early dialog (To tag), the RSeq of
//! the last reliable provisional we PRACKed. The first one sets it; after
//! that only the next number is PRACKed: a retransmission (the same or a
//! lower RSeq) and one out of order (a gap) are not.

/// Most early dialogs tracked (a fork bomb stays bounded).
const MAX_DIALOGS: usize = 8;

/// The RSeq each early dialog has reached.
#[derive(Debug, Default)]
pub(crate) struct RseqSeen {
    dialogs: Vec<(Box<str>, u32)>,
}

impl RseqSeen {
    /// A reliable provisional with `rseq` in the early dialog `tag`:
    /// whether to PRACK it (it is recorded when so).
    pub(crate) fn accept(&mut self, tag: &str, rseq: u32) -> bool {
        if let Some((_, last)) = self.dialogs.iter_mut().find(|(t, _)| &**t == tag) {
            if rseq != last.wrapping_add(1) {
                return false;
            }
            *last = rseq;
            return true;
        }
        if self.dialogs.len() >= MAX_DIALOGS {
            return false;
        }
        self.dialogs.push((tag.into(), rseq));
        true
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn in_order_once_per_dialog() {
        let mut s = super::RseqSeen::default();
        assert!(s.accept("a", 10));
        assert!(!s.accept("a", 10), "a retransmission");
        assert!(!s.accept("a", 12), "a gap");
        assert!(s.accept("a", 11));
        assert!(!s.accept("a", 9));
        assert!(s.accept("b", 500), "another fork counts apart");
        for i in 0..20 {
            s.accept(&format!("f{i}"), 1);
        }
        assert!(!s.accept("new", 1), "bounded");
        assert!(s.accept("a", 12));
    }
}
