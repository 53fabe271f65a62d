//! The timers a call may arm, and their handles in the shard's wheel.

use crate::timer::TimerHandle;

/// Timers a call may have armed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallTimer {
    /// Send the 200 OK.
    Answer,
    /// Configured duration reached: send BYE (or, for a deferred call
    /// still unanswered, reject it with 480).
    Hangup,
    /// Retransmit our 2xx (RFC 3261 §13.3.1.4).
    Retransmit2xx,
    /// No ACK within 64·T1.
    AckTimeout,
    /// Retransmit our reliable provisional (RFC 3262 §3).
    Retransmit1xx,
    /// No PRACK within 64·T1.
    PrackTimeout,
    /// Our REFER's subscription: no NOTIFY in time (RFC 6665 §4.1.2.4).
    ReferExpiry,
    /// The subscription a REFER we took made: it expires.
    ReferredExpiry,
    /// Half the session interval: we refresh (RFC 4028 §10).
    SessionRefresh,
    /// The peer did not refresh the session in time: BYE.
    SessionExpiry,
}

/// The handles of a call's armed timers.
#[derive(Debug, Default)]
pub(crate) struct CallTimers {
    answer: Option<TimerHandle>,
    hangup: Option<TimerHandle>,
    retransmit: Option<TimerHandle>,
    ack_timeout: Option<TimerHandle>,
    retransmit_1xx: Option<TimerHandle>,
    prack_timeout: Option<TimerHandle>,
    refer_expiry: Option<TimerHandle>,
    referred_expiry: Option<TimerHandle>,
    session_refresh: Option<TimerHandle>,
    session_expiry: Option<TimerHandle>,
}

impl CallTimers {
    fn slot(&mut self, timer: CallTimer) -> &mut Option<TimerHandle> {
        match timer {
            CallTimer::Answer => &mut self.answer,
            CallTimer::Hangup => &mut self.hangup,
            CallTimer::Retransmit2xx => &mut self.retransmit,
            CallTimer::AckTimeout => &mut self.ack_timeout,
            CallTimer::Retransmit1xx => &mut self.retransmit_1xx,
            CallTimer::PrackTimeout => &mut self.prack_timeout,
            CallTimer::ReferExpiry => &mut self.refer_expiry,
            CallTimer::ReferredExpiry => &mut self.referred_expiry,
            CallTimer::SessionRefresh => &mut self.session_refresh,
            CallTimer::SessionExpiry => &mut self.session_expiry,
        }
    }

    /// Records a newly armed timer; gives back the handle it replaces.
    pub(crate) fn set(&mut self, timer: CallTimer, h: TimerHandle) -> Option<TimerHandle> {
        self.slot(timer).replace(h)
    }

    /// Forgets a timer (it fired, or is to be cancelled): its handle.
    pub(crate) fn take(&mut self, timer: CallTimer) -> Option<TimerHandle> {
        self.slot(timer).take()
    }

    /// Every armed handle, for the call's end.
    pub(crate) fn all(&self) -> [Option<TimerHandle>; 10] {
        let (a, b, c, d) = (self.retransmit_1xx, self.prack_timeout, self.refer_expiry, self.referred_expiry);
        let (e, f) = (self.session_refresh, self.session_expiry);
        [self.retransmit, self.ack_timeout, self.answer, self.hangup, a, b, c, d, e, f]
    }
}

impl super::Call {
    /// A timer the shard armed for us: its handle, and the one it replaces.
    pub(crate) fn timer_armed(&mut self, timer: CallTimer, h: TimerHandle) -> Option<TimerHandle> {
        self.timers.set(timer, h)
    }

    /// A call timer fired.
    pub(crate) fn on_timer(&mut self, timer: CallTimer, step: &mut super::Step) {
        self.timers.take(timer);
        match timer {
            CallTimer::Answer => self.answer(step),
            // A deferred call nobody answered in time.
            CallTimer::Hangup if self.invite_txn.is_some() => self.reject(480, None, None, step),
            CallTimer::Hangup => self.hang_up(crate::dialog::EndReason::LocalBye, step),
            CallTimer::Retransmit2xx => self.resend_2xx(step),
            CallTimer::SessionRefresh => self.on_session_refresh(step),
            CallTimer::SessionExpiry => self.on_session_expiry(step),
            CallTimer::AckTimeout => {
                // §13.3.1.4: no ACK in 64·T1 — confirm and end with BYE.
                self.reinvite = None;
                step.error(crate::core::CallErrorKind::Timeout, || "no ACK for our 2xx".into());
                self.hang_up(crate::dialog::EndReason::AckTimeout, step);
            }
            CallTimer::Retransmit1xx => self.resend_1xx(step),
            CallTimer::PrackTimeout => self.prack_timeout(step),
            CallTimer::ReferExpiry => self.refer_expired(step),
            CallTimer::ReferredExpiry => self.referred_expired(step),
        }
    }
}
