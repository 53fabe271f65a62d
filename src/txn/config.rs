//! RFC 3261 timer base values (§17.1.1.1, Table 4).

use std::time::Duration;

/// T1 (RTT estimate), T2 (max non-INVITE retransmit interval), T4 (max
/// time a message stays in the network). Defaults: 500 ms, 4 s, 5 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimerConfig {
    /// RTT estimate.
    pub t1: Duration,
    /// Cap on retransmit intervals.
    pub t2: Duration,
    /// Network message lifetime.
    pub t4: Duration,
}

impl Default for TimerConfig {
    fn default() -> Self {
        TimerConfig { t1: Duration::from_millis(500), t2: Duration::from_secs(4), t4: Duration::from_secs(5) }
    }
}

impl TimerConfig {
    /// 64·T1: Timers B, F, H, J, L, M over UDP.
    pub fn t1x64(&self) -> Duration {
        self.t1 * 64
    }

    /// Timer D over UDP: at least 32 s (RFC 3261 §17.1.1.2).
    pub fn timer_d(&self) -> Duration {
        self.t1x64().max(Duration::from_secs(32))
    }

    /// A timer that only absorbs retransmissions (D, I, J, K): `udp` over
    /// UDP, zero over a reliable transport (RFC 3261 §17), where nothing is
    /// retransmitted: the transaction ends at the next timer poll.
    pub fn absorbing(&self, reliable: bool, udp: Duration) -> Duration {
        if reliable { Duration::ZERO } else { udp }
    }
}
