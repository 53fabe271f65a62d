//! A call's session timer (RFC 4028): the negotiated interval and who
//! refreshes. When we do, an UPDATE (or a re-INVITE to a peer that does
//! not allow UPDATE) goes out at half the interval and its 2xx starts the
//! next one (no answer, 408 or 481 end the call like any
//! request of ours); when the peer does, each refresh it sends restarts
//! the expiry, and an expiry that fires sends BYE: the call ends as
//! `SessionExpired`.

use std::time::Duration;

use super::step::Step;
use super::{Call, CallTimer, InDialog, Reinvite};
use crate::core::CallErrorKind;
use crate::core::session_timer::{Negotiated, SessionHeader, expiry_after};
use crate::dialog::{CallState, EndReason};

impl Call {
    /// The session as negotiated for the INVITE (or a refresh) we answer.
    pub(crate) fn set_session(&mut self, n: Negotiated) {
        self.session = Some(n);
    }

    /// What our 2xx says about the session (None: no session timer).
    pub(crate) fn session_header(&self) -> Option<SessionHeader> {
        self.session.map(|n| n.header)
    }

    /// The interval our refresh asks for, when we refresh.
    pub(crate) fn refresh_seconds(&self) -> Option<u32> {
        self.session.filter(|n| n.we_refresh).map(|n| n.interval)
    }

    /// The call is up, or its session was refreshed: arm the refresh
    /// (we refresh) or the expiry (the peer does), replacing the last.
    pub(crate) fn session_start(&mut self, step: &mut Step) {
        let Some(n) = self.session else { return };
        if n.we_refresh {
            step.disarm([self.timers.take(CallTimer::SessionExpiry), None, None]);
            step.arm(CallTimer::SessionRefresh, Duration::from_secs(u64::from(n.interval)) / 2);
        } else {
            step.disarm([self.timers.take(CallTimer::SessionRefresh), None, None]);
            step.arm(CallTimer::SessionExpiry, expiry_after(n.interval));
        }
    }

    /// The peer refreshed the session (its UPDATE or re-INVITE, answered
    /// 2xx), possibly with a new interval or refresher.
    pub(crate) fn session_refreshed(&mut self, n: Negotiated, step: &mut Step) {
        self.session = Some(n);
        if self.state == CallState::Confirmed {
            self.session_start(step);
        }
    }

    /// Half the interval passed: our refresh goes out (while an
    /// offer/answer of ours is in progress, the next half interval).
    pub(super) fn on_session_refresh(&mut self, step: &mut Step) {
        let Some(n) = self.session else { return };
        if self.state != CallState::Confirmed || self.requests.update.is_some() {
            return;
        }
        if n.by_update {
            step.request(InDialog::Update);
        } else if self.reinvite.is_none() {
            step.request(InDialog::RefreshInvite);
        } else {
            self.session_start(step);
        }
    }

    /// The peer did not refresh in time: BYE (RFC 4028 §10).
    pub(super) fn on_session_expiry(&mut self, step: &mut Step) {
        if self.state != CallState::Confirmed {
            return;
        }
        step.error(CallErrorKind::Timeout, || "session expired: no refresh from the peer".into());
        self.hang_up(EndReason::SessionExpired, step);
    }

    /// Our last re-INVITE put the peer on hold: a refreshing re-INVITE
    /// offers the same.
    pub(crate) fn holds_peer(&self) -> bool {
        self.media.local_held
    }

    /// The final response to our re-INVITE in `txn`, if it is our
    /// refresh (then handled: a 2xx ACKed, the next refresh armed).
    pub(super) fn on_refresh_invite_final(
        &mut self,
        txn: usize,
        code: u16,
        cseq: u32,
        step: &mut Step,
    ) -> bool {
        if self.reinvite != Some(Reinvite::Refresh { slot: txn }) {
            return false;
        }
        self.reinvite = None;
        if (200..300).contains(&code) {
            step.request(InDialog::Ack(cseq));
        }
        self.on_update_final(code, step);
        true
    }

    /// The final response (0: Timer F or B) to our refreshing UPDATE or
    /// re-INVITE.
    pub(super) fn on_update_final(&mut self, code: u16, step: &mut Step) {
        if (200..300).contains(&code) {
            return self.session_start(step);
        }
        // Any other answer leaves the session unrefreshed: the call goes
        // on only if the dialog does (408, 481 and no answer end it).
        let method = if self.session.is_some_and(|n| n.by_update) { "UPDATE" } else { "INVITE" };
        self.request_failed(method, code, step);
        if self.state == CallState::Confirmed {
            // Try again at the next half interval rather than never.
            self.session_start(step);
        }
    }
}
