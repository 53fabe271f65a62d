//! Wall-clock time of an event: the engine stamps events with the
//! monotonic clock; this converts for logs and call records.

use std::time::{Instant, SystemTime};

use crate::core::Event;

impl Event {
    /// When the event happened, by the wall clock (its monotonic stamp
    /// `at`, moved by the time since: exact unless the wall clock was set
    /// meanwhile).
    pub fn system_time(&self) -> SystemTime {
        let ago = Instant::now().saturating_duration_since(self.at);
        SystemTime::now().checked_sub(ago).unwrap_or(SystemTime::UNIX_EPOCH)
    }
}
