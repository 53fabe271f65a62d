//! The server's session timer flags (RFC 4028): --session-expires turns
//! them on.

use std::time::Duration;

use sipbench::{ConfigBuilder, SessionTimerConfig};

/// Session timers of the calls the server answers.
#[derive(clap::Args, Debug, Clone)]
pub struct TimerArgs {
    /// Session timers: the interval asked for when the caller names none, and the most accepted
    /// (0: off, Session-Expires ignored). Example: --session-expires 1800
    #[arg(long, default_value_t = 0)]
    pub session_expires: u64,
    /// The shortest interval accepted; shorter ones get 422 with this Min-SE. Example: --min-se 90
    #[arg(long, default_value_t = 90)]
    pub min_se: u64,
    /// When the caller leaves the choice to us, we refresh (UPDATE at half the interval) instead
    /// of watching its refreshes. Example: --session-refresher uas
    #[arg(long, value_enum, default_value_t = Refresher::Uac)]
    pub session_refresher: Refresher,
}

/// Who refreshes when the caller leaves it to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Refresher {
    /// The caller refreshes; we send BYE when it stops.
    Uac,
    /// We refresh with UPDATE.
    Uas,
}

impl TimerArgs {
    /// `b` with session timers as the flags say (unchanged when off).
    pub fn apply(&self, b: ConfigBuilder) -> ConfigBuilder {
        if self.session_expires == 0 {
            return b;
        }
        b.session_timer(SessionTimerConfig {
            session_expires: Duration::from_secs(self.session_expires),
            min_se: Duration::from_secs(self.min_se),
            we_refresh: self.session_refresher == Refresher::Uas,
        })
    }
}
