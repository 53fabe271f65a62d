//! Counters of the calls a shard places (UAC role), kept apart from the
//! calls it answers so a load generator's report reads like SIPp's.

use crate::dialog::EndReason;

/// Final statuses by code: a bounded table (16 distinct codes, the rest
/// counted under code 0) so the counters stay `Copy` and cheap to merge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts([(u16, u64); 16]);

impl StatusCounts {
    /// Counts one `code`.
    pub fn add(&mut self, code: u16, n: u64) {
        let last = self.0.len() - 1;
        let i = self.0[..last].iter().position(|&(c, k)| c == code || k == 0).unwrap_or(last);
        let e = &mut self.0[i];
        if e.1 == 0 {
            e.0 = if i == last { 0 } else { code };
        }
        e.1 += n;
    }

    /// (code, count) pairs with a count, by code (0: codes beyond the table).
    pub fn iter(&self) -> impl Iterator<Item = (u16, u64)> + '_ {
        let mut v: Vec<(u16, u64)> = self.0.iter().copied().filter(|&(_, n)| n > 0).collect();
        v.sort_unstable();
        v.into_iter()
    }

    /// Adds another table.
    pub fn merge(&mut self, o: &StatusCounts) {
        for (c, n) in o.iter() {
            self.add(c, n);
        }
    }
}

/// Outcomes of the calls we placed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UacStats {
    /// INVITEs sent for new calls.
    pub placed: u64,
    /// Calls answered (2xx received and ACKed).
    pub answered: u64,
    /// Calls that ended with a BYE exchange.
    pub completed: u64,
    /// Calls we cancelled before the answer.
    pub cancelled: u64,
    /// Calls the far end rejected (by status in `rejected_by_code`).
    pub rejected: u64,
    /// Final statuses that rejected our INVITEs.
    pub rejected_by_code: StatusCounts,
    /// No final response to the INVITE (Timer B).
    pub failed_invite_timeout: u64,
    /// The INVITE could not be sent.
    pub failed_transport: u64,
    /// Our BYE went unanswered or was refused.
    pub failed_bye: u64,
    /// Other failures: an in-dialog request timed out, media timeout,
    /// shutdown.
    pub failed_other: u64,
    /// Extra 2xx from forks, ACKed and ended with BYE.
    pub forks_released: u64,
    /// 401/407 challenges answered with credentials.
    pub auth_retries: u64,
    /// PRACKs sent for reliable provisionals (RFC 3262).
    pub pracks_sent: u64,
}

impl UacStats {
    /// Counts a placed call's end.
    pub(crate) fn count_end(&mut self, reason: EndReason) {
        match reason {
            EndReason::RemoteBye | EndReason::LocalBye | EndReason::Transferred => self.completed += 1,
            EndReason::Cancelled => self.cancelled += 1,
            EndReason::Rejected(code) => {
                self.rejected += 1;
                self.rejected_by_code.add(code, 1);
            }
            EndReason::InviteTimeout => self.failed_invite_timeout += 1,
            EndReason::TransportError => self.failed_transport += 1,
            EndReason::ByeFailed => self.failed_bye += 1,
            _ => self.failed_other += 1,
        }
    }

    /// Calls that failed (rejections aside).
    pub fn failed(&self) -> u64 {
        self.failed_invite_timeout + self.failed_transport + self.failed_bye + self.failed_other
    }

    /// Calls that ended, in any way.
    pub fn ended(&self) -> u64 {
        self.completed + self.cancelled + self.rejected + self.failed()
    }

    /// Adds another shard's counters.
    pub fn merge(&mut self, o: &UacStats) {
        macro_rules! add {
            ($($f:ident),*) => { $(self.$f += o.$f;)* };
        }
        add!(
            placed,
            answered,
            completed,
            cancelled,
            rejected,
            failed_invite_timeout,
            failed_transport,
            failed_bye,
            failed_other,
            forks_released,
            auth_retries,
            pracks_sent
        );
        self.rejected_by_code.merge(&o.rejected_by_code);
    }
}
