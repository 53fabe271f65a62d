//! The builder's admission limits per source address: how many live
//! calls, and how many new requests a second, one peer may have.

use super::ConfigBuilder;
use crate::core::SourceLimit;

impl ConfigBuilder {
    /// Live calls from one source address (503 beyond): each shard holds
    /// its share, rounded up.
    pub fn max_calls_per_source(mut self, n: u32) -> Self {
        self.max_calls_per_source = Some(n);
        self
    }

    /// New out-of-dialog requests per second from one source address:
    /// each shard holds its share of rate and burst, rounded up.
    pub fn source_limit(mut self, limit: SourceLimit) -> Self {
        self.source_limit = Some(limit);
        self
    }
}
