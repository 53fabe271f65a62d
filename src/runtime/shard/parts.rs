//! What a shard is built from besides its socket and poll, and the
//! table sizes its expected load asks for.

use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;

use super::super::app_events::EventOut;
use super::super::load::LoadPacer;
use super::super::mailbox::ShardMailbox;
use super::super::media_link::MediaLink;
use super::super::report::ShardReport;
use super::super::stop::Stop;
use crate::core::{CallHandler, ShardCore, lingering_at};

/// What a shard runs with besides its socket and poll.
pub(crate) struct ShardParts {
    pub(crate) mailboxes: Arc<Vec<ShardMailbox>>,
    pub(crate) report: Arc<Mutex<ShardReport>>,
    pub(crate) stop: Arc<Stop>,
    pub(crate) max_inbox_delay: Option<Duration>,
    pub(crate) handler: Box<dyn CallHandler>,
    pub(crate) events: Option<EventOut>,
    pub(crate) media: Option<MediaLink>,
    pub(crate) pacer: Option<LoadPacer>,
    pub(crate) busy_poll: Option<Duration>,
    /// Segmented UDP sends where the kernel offers them.
    pub(crate) udp_segments: bool,
    /// This shard's share of the expected call rate (server tables).
    pub(crate) expected_rate: Option<f64>,
}

impl ShardParts {
    /// Room in the core's transaction tables for what lingers `linger`
    /// (64·T1) at the expected rate (a server) or the load plan's (a
    /// client), so no table rehashes under load.
    pub(super) fn size_tables(&self, core: &mut ShardCore, linger: Duration) {
        if let Some(rate) = self.expected_rate {
            core.reserve_server_transactions(lingering_at(rate, linger, u64::MAX));
        }
        if let Some(pacer) = &self.pacer {
            core.reserve_client_transactions(pacer.lingering_transactions(linger));
        }
    }
}
