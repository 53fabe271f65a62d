//! The UAS side of RFC 3262 for one INVITE: RSeq numbering (a random
//! start, then one up per reliable provisional), the one reliable
//! provisional that may be unacknowledged at a time (§3) with its
//! retransmission interval (T1, doubling each time), and whether our 2xx
//! waits for its PRACK.

use std::time::Duration;

use bytes::Bytes;

use super::RAck;
use crate::sip::Method;

/// A reliable provisional response waiting for its PRACK.
#[derive(Debug)]
struct Unacked {
    rseq: u32,
    data: Bytes,
    code: u16,
    interval: Duration,
}

/// What a PRACK acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PrackMatch {
    /// The provisional waiting for it: stop resending it; `answer` when
    /// our 2xx was waiting too.
    Acked { answer: bool },
    /// Nothing unacknowledged (481, §3).
    Nothing,
}

/// One INVITE's reliable provisionals, as UAS.
#[derive(Debug)]
pub(crate) struct ReliableUas {
    next_rseq: u32,
    invite_cseq: u32,
    unacked: Option<Unacked>,
    /// The application answered while a provisional was unacknowledged:
    /// the 2xx goes out with its PRACK (§3).
    answer_waiting: bool,
}

impl ReliableUas {
    /// For the INVITE with CSeq `invite_cseq`; `random` picks the first
    /// RSeq, 1 to 2^31-1 (§3).
    pub(crate) fn new(invite_cseq: u32, random: u64) -> ReliableUas {
        let first = (random % u64::from(i32::MAX as u32 - 1)) as u32 + 1;
        ReliableUas { next_rseq: first, invite_cseq, unacked: None, answer_waiting: false }
    }

    /// Whether a reliable provisional waits for its PRACK (a second one
    /// may not be sent meanwhile, §3).
    pub(crate) fn waiting(&self) -> bool {
        self.unacked.is_some()
    }

    /// The RSeq for the next reliable provisional.
    pub(crate) fn take_rseq(&mut self) -> u32 {
        let n = self.next_rseq;
        self.next_rseq = self.next_rseq.wrapping_add(1).max(1);
        n
    }

    /// The provisional with `rseq` went out as `data`: kept to resend
    /// from T1 until its PRACK.
    pub(crate) fn sent(&mut self, rseq: u32, code: u16, data: Bytes, t1: Duration) {
        self.unacked = Some(Unacked { rseq, data, code, interval: t1 });
    }

    /// The provisional to send again and the wait before the next
    /// retransmission (the interval doubles), or None once acknowledged.
    pub(crate) fn resend(&mut self) -> Option<(Bytes, u16, Duration)> {
        let u = self.unacked.as_mut()?;
        u.interval *= 2;
        Some((u.data.clone(), u.code, u.interval))
    }

    /// The provisional to send again, as it stands (no timer change).
    pub(crate) fn unacked(&self) -> Option<(Bytes, u16)> {
        self.unacked.as_ref().map(|u| (u.data.clone(), u.code))
    }

    /// Our 2xx must wait for the PRACK; true when it must.
    pub(crate) fn hold_answer(&mut self) -> bool {
        self.answer_waiting = self.unacked.is_some();
        self.answer_waiting
    }

    /// A PRACK with this RAck: the provisional it acknowledges, if any
    /// (§3: matched by RSeq, CSeq and method).
    pub(crate) fn on_prack(&mut self, rack: RAck) -> PrackMatch {
        let matches = self.unacked.as_ref().is_some_and(|u| {
            u.rseq == rack.rseq && rack.cseq == self.invite_cseq && rack.method == Method::Invite
        });
        if !matches {
            return PrackMatch::Nothing;
        }
        self.unacked = None;
        let answer = std::mem::take(&mut self.answer_waiting);
        PrackMatch::Acked { answer }
    }

    /// The transaction ended (a final response went out): nothing more
    /// is resent.
    pub(crate) fn clear(&mut self) {
        self.unacked = None;
        self.answer_waiting = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rack(rseq: u32, cseq: u32) -> RAck {
        RAck { rseq, cseq, method: Method::Invite }
    }

    #[test]
    fn rseq_starts_in_range_and_prack_matches_exactly() {
        for random in [0, 1, u64::MAX, 1 << 40, i32::MAX as u64] {
            let first = ReliableUas::new(1, random).take_rseq();
            assert!((1..=i32::MAX as u32).contains(&first), "{first}");
        }
        let mut r = ReliableUas::new(7, 41);
        let n = r.take_rseq();
        assert_eq!(r.take_rseq(), n + 1);
        r.sent(n, 180, Bytes::from_static(b"180"), Duration::from_millis(500));
        assert!(r.hold_answer());
        assert_eq!(r.on_prack(rack(n + 1, 7)), PrackMatch::Nothing);
        assert_eq!(r.on_prack(rack(n, 8)), PrackMatch::Nothing);
        assert_eq!(r.on_prack(RAck { method: Method::Bye, ..rack(n, 7) }), PrackMatch::Nothing);
        let resent = r.resend().map(|(_, code, wait)| (code, wait));
        assert_eq!(resent, Some((180, Duration::from_secs(1))));
        assert_eq!(r.on_prack(rack(n, 7)), PrackMatch::Acked { answer: true });
        assert_eq!(r.on_prack(rack(n, 7)), PrackMatch::Nothing, "acknowledged already");
        assert!(r.resend().is_none());
        assert!(!r.hold_answer());
    }
}
