//! The embedding API: start an [`Engine`] with a [`Config`] and a
//! [`CallHandler`], steer calls with [`CallControl`] from any thread,
//! and read [`Event`]s. Built on the runtime; hides SIP details.

mod config;
mod control;
mod error;

use std::net::SocketAddr;
use std::time::Duration;

use crossbeam::channel::{Receiver, bounded};

pub use config::{Config, ConfigBuilder};
pub use control::{CallControl, Pending, PendingCall};
pub use error::{ConfigError, Error, ErrorCategory, Result};

use crate::core::{CallHandler, Event};
use crate::runtime::{ReportHandle, Runtime, ShardReport};

/// Counters and latency histograms of a running (or stopped) engine.
#[derive(Debug, Clone)]
pub struct StatsSnapshot {
    /// All shards merged, with the media totals.
    pub total: ShardReport,
    /// Each shard's own.
    pub shards: Vec<ShardReport>,
    /// Calls up right now (over all shards, as last published).
    pub active_calls: u64,
    /// Time since start.
    pub uptime: Duration,
}

/// A running engine: shards, media threads and the event stream.
pub struct Engine {
    runtime: Runtime,
    events: Receiver<Event>,
}

impl Engine {
    /// Binds the sockets and starts the threads. Each shard gets its own
    /// clone of `handler`.
    pub fn start<H: CallHandler + Clone>(config: Config, handler: H) -> Result<Engine> {
        let Config { mut runtime, event_capacity } = config;
        // With no events configured the channel stays empty (and tiny).
        let (tx, events) = bounded(event_capacity.unwrap_or(1));
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
        CallControl { sender: self.runtime.commands(), next_shard: Default::default() }
    }

    /// The event stream (bounded; when nobody drains it, new events are
    /// dropped and counted in `events_dropped`, and calls go on).
    pub fn events(&self) -> Receiver<Event> {
        self.events.clone()
    }

    /// Calls up right now over all shards (cheap: no histograms copied).
    pub fn active_calls(&self) -> u64 {
        self.runtime.active_calls()
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

    /// The shards' published reports, for a metrics endpoint on another
    /// thread.
    pub fn report_handle(&self) -> ReportHandle {
        self.runtime.reports()
    }

    /// Stops taking calls (503), ends the active ones (BYE), and waits up
    /// to `deadline` for them before ending the rest; returns the final
    /// counters.
    pub fn shutdown(self, deadline: Duration) -> StatsSnapshot {
        let uptime = self.runtime.uptime();
        let (total, shards) = self.runtime.shutdown(deadline);
        StatsSnapshot { active_calls: total.tables.calls as u64, total, shards, uptime }
    }
}
