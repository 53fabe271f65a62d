//! The embedding API: start an [`Engine`] with a [`Config`] and a
//! [`CallHandler`], steer calls with [`CallControl`] from any thread,
//! and read [`Event`]s. Built on the runtime; hides SIP details.

mod config;
mod control;
mod error;
mod pending;
mod stats;
mod time;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use config::{Config, ConfigBuilder};
pub use control::CallControl;
pub use error::{ConfigError, Error, ErrorCategory, Result};
pub use pending::{Pending, PendingCall};
pub use stats::StatsSnapshot;

#[cfg(doc)]
use crate::core::Event;
use crate::core::{CallHandler, CoreStats};
pub use crate::runtime::{DROP_GRACE, Events};
use crate::runtime::{ReportHandle, Runtime, ShardReport, event_channel};

/// A running engine: shards, media threads and the event stream.
///
/// Stop it with [`shutdown`](Engine::shutdown), which says how long its
/// calls may take to end. Dropping a running engine stops it the same
/// way with a grace of [`DROP_GRACE`] (1 s) and joins its threads, so its
/// sockets and ports are free once the drop returns.
///
/// ```
/// use std::time::Duration;
/// use sipbench::{Config, Engine, PolicyHandler, CallPolicy};
///
/// let config = Config::builder().listen("127.0.0.1:0".parse().unwrap()).shards(2).pin(false).build()?;
/// let engine = Engine::start(config, PolicyHandler::new(CallPolicy::default()))?;
/// let addr = engine.local_addr();
/// // A second engine on the same address is refused, naming it.
/// let again = Config::builder().listen(addr).build()?;
/// assert!(Engine::start(again, PolicyHandler::default()).is_err());
/// let end = engine.shutdown(Duration::from_secs(2));
/// assert_eq!(end.active_calls, 0);
/// # Ok::<(), sipbench::Error>(())
/// ```
pub struct Engine {
    runtime: Runtime,
    events: Events,
}

impl Engine {
    /// Binds the sockets and starts the threads. Each shard gets its own
    /// clone of `handler`. An address in use (another engine, another
    /// process) is an `Error::Transport` naming it.
    pub fn start<H: CallHandler + Clone>(config: Config, handler: H) -> Result<Engine> {
        let Config { mut runtime, event_capacity } = config;
        // With no events configured the channel stays empty (and tiny).
        let (tx, events) = event_channel(event_capacity.unwrap_or(1));
        runtime.events = event_capacity.map(|_| tx);
        let runtime = Runtime::start_with(runtime, |_| Box::new(handler.clone()))?;
        Ok(Engine { runtime, events })
    }

    /// The primary address the shards listen on (port 0 resolved).
    pub fn local_addr(&self) -> SocketAddr {
        self.runtime.local
    }

    /// The address the shards listen on over transport `t`, if they do.
    pub fn local_addr_of(&self, t: crate::sip::Transport) -> Option<SocketAddr> {
        self.runtime.locals.iter().find(|l| l.0 == t).map(|l| l.1)
    }

    /// A handle that sends commands to calls.
    pub fn control(&self) -> CallControl {
        CallControl { sender: self.runtime.commands(), next_shard: Arc::default() }
    }

    /// The event stream (bounded; when nobody drains it, new events are
    /// dropped and counted in `events_dropped`, and calls go on). It ends
    /// once the engine has stopped. With the `async` feature it is also
    /// a `futures_core::Stream` of [`Event`]s.
    pub fn events(&self) -> Events {
        self.events.clone()
    }

    /// Calls up right now over all shards (cheap: no histograms copied).
    pub fn active_calls(&self) -> u64 {
        self.runtime.active_calls()
    }

    /// The core's counters over all shards as last published (cheap: no
    /// histograms copied, unlike [`stats`](Self::stats)).
    pub fn core_stats(&self) -> CoreStats {
        self.runtime.core_stats()
    }

    /// Counters and histograms as the shards last published them (a few
    /// times a second).
    pub fn stats(&self) -> StatsSnapshot {
        StatsSnapshot {
            total: self.runtime.report(),
            shards: self.runtime.shard_reports(),
            active_calls: self.runtime.active_calls(),
            uptime: self.runtime.uptime(),
        }
    }

    /// The merged counters as the shards last published them, into
    /// `into`'s storage (no allocation): for a sample a second. Its
    /// histograms are refreshed too when `histograms` (not the media
    /// echo's).
    pub fn stats_into(&self, into: &mut ShardReport, histograms: bool) {
        self.runtime.report_into(into, histograms);
    }

    /// The shards' published reports, for a metrics endpoint on another
    /// thread.
    pub fn report_handle(&self) -> ReportHandle {
        self.runtime.reports()
    }

    /// Stops taking new calls and keeps the calls up: new INVITEs get 503
    /// with Retry-After (a proxy retries them elsewhere), out-of-dialog
    /// OPTIONS 503 (a load balancer's probe marks the engine down), calls
    /// placed fail with `CommandError::Stopped`; everything inside the
    /// calls up goes on until they end. [`Engine::shutdown`] ends what is
    /// left.
    pub fn drain(&self) {
        self.runtime.drain();
    }

    /// Stops taking calls (503), ends the active ones (BYE; CANCEL for
    /// ours not answered yet) and waits up to `deadline` for them: every
    /// shard keeps receiving until all calls have ended, so no answer is
    /// lost. A call whose BYE is answered in time ends as `LocalBye`;
    /// those left at the deadline are ended as `Shutdown`. Each call's
    /// last events (MediaStopped, Terminated with its media report) are
    /// sent before the media threads stop. Commands from then on fail at
    /// once with `CommandError::Stopped`. Returns the final counters.
    pub fn shutdown(mut self, deadline: Duration) -> StatsSnapshot {
        let uptime = self.runtime.uptime();
        let (total, shards) = self.runtime.shutdown(deadline);
        StatsSnapshot { active_calls: total.tables.calls as u64, total, shards, uptime }
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("local_addr", &self.local_addr()).finish_non_exhaustive()
    }
}
