//! The builder's carrier call features: digest authentication of the
//! requests the engine answers, session timers of the calls it answers.

use super::ConfigBuilder;
use crate::core::{AuthConfig, SessionTimerConfig};

impl ConfigBuilder {
    /// Requires digest credentials on new requests (INVITE by default):
    /// others get a 401/407 challenge (default: none required).
    pub fn auth(mut self, auth: AuthConfig) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Session timers (RFC 4028) on the calls the engine answers:
    /// Session-Expires honoured (422 below `min_se`), the session
    /// refreshed or watched, BYE when the peer stops refreshing (default:
    /// off, and Session-Expires is ignored).
    pub fn session_timer(mut self, cfg: SessionTimerConfig) -> Self {
        self.session_timer = Some(cfg);
        self
    }
}
