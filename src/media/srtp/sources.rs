//! Per-SSRC state inside one direction's context: the RTP rollover and
//! replay window and the SRTCP index and replay window. A source is added
//! only when its first packet authenticates (or when we send it), and the
//! table is bounded so a peer cannot grow it without limit.

use super::replay::ReplayWindow;
use super::rollover::Rollover;

/// Sources one context tracks at most.
pub const MAX_SOURCES: usize = 8;

/// One SSRC's indices.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub(crate) ssrc: u32,
    pub(crate) rollover: Option<Rollover>,
    pub(crate) rtp_seen: ReplayWindow,
    pub(crate) rtcp_seen: ReplayWindow,
    /// The next SRTCP index to send.
    pub(crate) rtcp_next: u32,
}

/// The sources of one context (usually one or two: a short list, inline
/// so the packet path stays in the context's own memory).
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    list: smallvec::SmallVec<[Source; 2]>,
}

impl Sources {
    /// The position of `ssrc`, if known.
    pub(crate) fn find(&self, ssrc: u32) -> Option<usize> {
        self.list.iter().position(|s| s.ssrc == ssrc)
    }

    /// Whether another source fits.
    pub(crate) fn has_room(&self) -> bool {
        self.list.len() < MAX_SOURCES
    }

    /// Adds a source (the caller checked `has_room`); returns its position.
    pub(crate) fn add(&mut self, ssrc: u32) -> usize {
        self.list.push(Source {
            ssrc,
            rollover: None,
            rtp_seen: ReplayWindow::default(),
            rtcp_seen: ReplayWindow::default(),
            rtcp_next: 0,
        });
        self.list.len() - 1
    }

    /// The source at a position `find` or `add` gave.
    pub(crate) fn at(&mut self, at: usize) -> &mut Source {
        &mut self.list[at]
    }
}
