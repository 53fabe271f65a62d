//! The engine's configuration: settings collected by a builder
//! (`settings`), checked once (`checks`), then split into each shard's
//! share (`split`).

mod admission;
mod carrier;
mod checks;
mod settings;
mod split;
mod transports;

use std::net::SocketAddr;

pub use settings::ConfigBuilder;

use crate::runtime::RuntimeConfig;

/// A checked engine configuration: build it with [`Config::builder`].
///
/// ```
/// use std::time::Duration;
/// use sipbench::{Config, MediaConfig, MediaMode};
///
/// let config = Config::builder()
///     .listen("127.0.0.1:0".parse().unwrap())
///     .shards(2)
///     .media(MediaConfig { mode: MediaMode::Echo, ..MediaConfig::default() })
///     .defer_timeout(Duration::from_secs(10))
///     .build()?;
/// assert_eq!(config.shards(), 2);
/// // A refused value names its field.
/// let refused = Config::builder().user_agent("x\r\nInjected: 1").build().unwrap_err();
/// assert_eq!(refused.field, "user_agent");
/// # Ok::<(), sipbench::ConfigError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) runtime: RuntimeConfig,
    pub(crate) event_capacity: Option<usize>,
}

impl Config {
    /// A builder with defaults: 127.0.0.1:5060, one shard per core, no
    /// media, 100,000 calls.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Shard threads the engine will run.
    pub fn shards(&self) -> usize {
        self.runtime.shards
    }

    /// The primary address it will listen on (the first listener).
    pub fn listen(&self) -> SocketAddr {
        self.runtime.listeners[0].1
    }

    /// Every (transport, address) it will listen on.
    pub fn listeners(&self) -> &[(crate::sip::Transport, SocketAddr)] {
        &self.runtime.listeners
    }
}
