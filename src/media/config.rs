//! How to run the media threads.

use std::time::Duration;

use super::command::MediaMode;

/// How to run the media threads.
#[derive(Debug, Clone)]
pub struct MediaConfig {
    /// Media threads.
    pub threads: usize,
    /// What each stream does.
    pub mode: MediaMode,
    /// RTP port range, inclusive (even ports carry RTP).
    pub ports: (u16, u16),
    /// Raise a timeout event after this long without RTP.
    pub timeout: Option<Duration>,
    /// Cores to pin the threads to, one each (empty: no pinning).
    pub cores: Vec<core_affinity::CoreId>,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            threads: 1,
            mode: MediaMode::Echo,
            ports: (20_000, 29_999),
            timeout: None,
            cores: Vec::new(),
        }
    }
}
