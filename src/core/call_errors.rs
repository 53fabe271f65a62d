//! Per-call errors the application is told about: requests we sent that
//! failed or timed out, protocol violations by the peer, datagrams the
//! transport could not send.

use std::time::Instant;

use super::{CallErrorKind, EventKind, Outbox, ShardCore};
use crate::dialog::EndReason;

impl ShardCore {
    /// Tells the application about trouble in `call`.
    pub(crate) fn call_error(&mut self, call: usize, kind: CallErrorKind, detail: String, out: &mut Outbox) {
        self.emit(call, EventKind::Error { kind, detail }, out);
    }

    /// A request we sent in the dialog failed with `code` (0: no answer).
    /// The call goes on unless the dialog is gone: no answer, 408 or 481
    /// (RFC 3261 §12.2.1.2); then we end it with BYE.
    pub(crate) fn on_request_failed(
        &mut self,
        now: Instant,
        call: usize,
        method: &'static str,
        code: u16,
        out: &mut Outbox,
    ) {
        if code == 0 {
            self.call_error(call, CallErrorKind::Timeout, format!("no response to {method}"), out);
        } else {
            self.emit(call, EventKind::RequestFailed { method, code }, out);
        }
        if matches!(code, 0 | 408 | 481) {
            self.hang_up(now, call, EndReason::RequestTimeout, out);
        }
    }

    /// The transport could not send a datagram of the call with this
    /// Call-ID (the runtime scans it from the datagram).
    /// A call we placed whose INVITE cannot be sent ends at once.
    pub fn on_send_failure(&mut self, now: Instant, call_id: &str, detail: &str, out: &mut Outbox) {
        let Some(call) = self.calls.find(call_id) else { return };
        self.call_error(call, CallErrorKind::Transport, format!("send failed: {detail}"), out);
        let Some(c) = self.calls.get(call) else { return };
        if let (Some(leg), crate::dialog::CallState::Calling) = (&c.uac, c.state) {
            let (slot, generation) = leg.invite_txn;
            if self.ict.get(slot).is_some_and(|t| t.generation == generation) {
                let mut ctx = crate::txn::TxnCtx {
                    now,
                    wheel: &mut self.wheel,
                    out: &mut out.datagrams,
                    timers: &self.cfg.timers,
                };
                if let Some(mut t) = self.ict.remove(slot) {
                    t.clear_timers(&mut ctx);
                }
            }
            self.end_call(call, EndReason::TransportError, now, out);
        }
    }
}
