//! Per-shard counters: plain fields owned by one thread, merged by the
//! collector by addition.

/// Every counter a shard keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CoreStats {
    /// New INVITEs that created a call.
    pub calls_received: u64,
    /// Calls we answered with 2xx.
    pub calls_answered: u64,
    /// Calls that ended with a BYE exchange.
    pub calls_completed: u64,
    /// Calls we rejected by policy or command.
    pub calls_rejected: u64,
    /// Calls cancelled by the caller.
    pub calls_cancelled: u64,
    /// Calls that failed: no ACK for our 2xx.
    pub failed_ack_timeout: u64,
    /// Calls that failed: our BYE went unanswered or was refused.
    pub failed_bye: u64,
    /// Calls ended by shutdown.
    pub failed_shutdown: u64,
    /// New INVITEs refused with 503 because of the call limit.
    pub overload_rejected: u64,
    /// Requests received (all methods, retransmissions included).
    pub requests_in: u64,
    /// Responses received.
    pub responses_in: u64,
    /// Datagrams we sent.
    pub messages_out: u64,
    /// Retransmissions we sent (responses and requests).
    pub retransmissions: u64,
    /// Request retransmissions we absorbed.
    pub retransmissions_in: u64,
    /// Datagrams that did not parse (400 sent or dropped).
    pub parse_errors: u64,
    /// Responses sent 400 because the request was malformed.
    pub bad_requests: u64,
    /// Responses matching no transaction (dropped).
    pub stray_responses: u64,
    /// In-dialog requests for unknown dialogs (481).
    pub unknown_dialog: u64,
    /// ACKs matching nothing (dropped).
    pub stray_acks: u64,
    /// Timer H fired: no ACK for a non-2xx final.
    pub timer_h_expired: u64,
    /// Currently active calls.
    pub active_calls: u64,
    /// Highest `active_calls` seen.
    pub peak_active_calls: u64,
}

impl CoreStats {
    /// Adds another shard's counters.
    pub fn merge(&mut self, o: &CoreStats) {
        macro_rules! add {
            ($($f:ident),*) => { $(self.$f += o.$f;)* };
        }
        add!(
            calls_received,
            calls_answered,
            calls_completed,
            calls_rejected,
            calls_cancelled,
            failed_ack_timeout,
            failed_bye,
            failed_shutdown,
            overload_rejected,
            requests_in,
            responses_in,
            messages_out,
            retransmissions,
            retransmissions_in,
            parse_errors,
            bad_requests,
            stray_responses,
            unknown_dialog,
            stray_acks,
            timer_h_expired,
            active_calls
        );
        // Shards peak at different moments: the sum would overstate the
        // peak, so a merge keeps the largest (a lower bound the runtime
        // raises with its sampled total).
        self.peak_active_calls = self.peak_active_calls.max(o.peak_active_calls);
    }

    /// Calls that failed for any reason.
    pub fn calls_failed(&self) -> u64 {
        self.failed_ack_timeout + self.failed_bye + self.failed_shutdown
    }
}
