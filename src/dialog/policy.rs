//! The configured default policy for new calls: ring for X ms, answer Y ms
//! later, hang up after Z ms, reject P% with code C. Embedding
//! applications decide per call instead (`core::CallHandler`); the core's
//! `PolicyHandler` applies this one.

use std::time::Duration;

/// Configured defaults for every call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallPolicy {
    /// Ring time: 180 Ringing goes out at once and the 200 OK this long
    /// after it (plus `answer`); zero means no 180.
    pub ring: Duration,
    /// Delay before 200 OK, after the ring time (without ringing, counted
    /// from the INVITE).
    pub answer: Duration,
    /// Call duration before we hang up; zero means the caller hangs up.
    pub hangup: Duration,
    /// Percentage of calls rejected.
    pub reject_percent: u8,
    /// Status used for rejections (300–699).
    pub reject_code: u16,
    /// Send 183 with our SDP answer (early media) instead of 180.
    pub early_media: bool,
}

impl Default for CallPolicy {
    fn default() -> Self {
        CallPolicy {
            ring: Duration::ZERO,
            answer: Duration::ZERO,
            hangup: Duration::ZERO,
            reject_percent: 0,
            reject_code: 486,
            early_media: false,
        }
    }
}
