//! Per-shard counters: plain fields owned by one thread, merged by the
//! collector by addition; the calls we place are counted apart
//! (`placed`), and the tables' sizes are sampled.

mod auth;
mod placed;
mod tables;

pub use auth::AuthStats;
pub use placed::{StatusCounts, UacStats};
pub use tables::TableSizes;

use crate::sip::{Method, ParseErrorKind};
use crate::txn::MessageKind;

/// Every counter a shard keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CoreStats {
    /// New INVITEs that created a call.
    pub calls_received: u64,
    /// Calls we answered with 2xx.
    pub calls_answered: u64,
    /// Calls that ended with a BYE exchange.
    pub calls_completed: u64,
    /// Of the completed calls, those transferred away by our REFER.
    pub calls_transferred: u64,
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
    /// Calls we hung up because no RTP arrived for the media timeout.
    pub failed_media_timeout: u64,
    /// Calls that failed: a request we sent in the dialog timed out or
    /// got 408/481.
    pub failed_request_timeout: u64,
    /// Calls that failed: a message of ours could not be sent at all (no
    /// connection could be opened for our BYE).
    pub failed_transport: u64,
    /// Calls we ended with BYE because the peer did not refresh the
    /// session in time (RFC 4028).
    pub failed_session_expired: u64,
    /// New INVITEs refused 503 because no RTP port pair was free.
    pub media_refused: u64,
    /// New INVITEs refused with 503 for overload (call limit or delay).
    pub overload_rejected: u64,
    /// Of those, refused because the shard's inbox delay was over its
    /// threshold.
    pub overload_by_delay: u64,
    /// New requests over their source's limit (503 or dropped).
    pub source_limited: u64,
    /// New requests refused (stateless 503) at the transaction limit.
    pub txn_limited: u64,
    /// Requests received (all methods, retransmissions included).
    pub requests_in: u64,
    /// Responses received.
    pub responses_in: u64,
    /// Datagrams we sent.
    pub messages_out: u64,
    /// Requests received, by method (index: `Method::index`).
    pub requests_in_by_method: [u64; Method::COUNT],
    /// Responses received, by class (index 1..=6 for 1xx..6xx).
    pub responses_in_by_class: [u64; 7],
    /// Requests sent, by method.
    pub requests_out_by_method: [u64; Method::COUNT],
    /// Responses sent, by class.
    pub responses_out_by_class: [u64; 7],
    /// Retransmissions we sent (responses and requests).
    pub retransmissions: u64,
    /// Request retransmissions we absorbed.
    pub retransmissions_in: u64,
    /// Datagrams that did not parse (400 sent or dropped).
    pub parse_errors: u64,
    /// Those by cause (index: `ParseErrorKind::category`).
    pub parse_errors_by_reason: [u64; ParseErrorKind::CATEGORIES.len()],
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
    /// The calls this shard placed (UAC role), counted apart.
    pub uac: UacStats,
    /// Digest authentication of the requests we answer.
    pub auth: AuthStats,
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
            calls_transferred,
            calls_rejected,
            calls_cancelled,
            failed_ack_timeout,
            failed_bye,
            failed_shutdown,
            failed_media_timeout,
            failed_request_timeout,
            failed_transport,
            failed_session_expired,
            media_refused,
            overload_rejected,
            overload_by_delay,
            source_limited,
            txn_limited,
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
        let add = |a: &mut [u64], b: &[u64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.requests_in_by_method, &o.requests_in_by_method);
        add(&mut self.responses_in_by_class, &o.responses_in_by_class);
        add(&mut self.requests_out_by_method, &o.requests_out_by_method);
        add(&mut self.responses_out_by_class, &o.responses_out_by_class);
        add(&mut self.parse_errors_by_reason, &o.parse_errors_by_reason);
        self.uac.merge(&o.uac);
        self.auth.merge(&o.auth);
        // Shards peak at different moments: the sum would overstate the
        // peak, so a merge keeps the largest (a lower bound the runtime
        // raises with its sampled total).
        self.peak_active_calls = self.peak_active_calls.max(o.peak_active_calls);
    }

    /// Counts the datagrams a step queued, by method or status class.
    pub(crate) fn count_out(&mut self, sent: &[crate::core::Transmit]) {
        for t in sent {
            self.messages_out += 1;
            match t.kind {
                MessageKind::Request(m) => self.requests_out_by_method[m.index()] += 1,
                MessageKind::Response(code) => {
                    if let Some(n) = self.responses_out_by_class.get_mut(usize::from(code / 100)) {
                        *n += 1;
                    }
                }
            }
        }
    }

    /// Calls that failed for any reason.
    pub fn calls_failed(&self) -> u64 {
        self.failed_ack_timeout
            + self.failed_bye
            + self.failed_shutdown
            + self.failed_media_timeout
            + self.failed_request_timeout
            + self.failed_transport
            + self.failed_session_expired
    }
}
