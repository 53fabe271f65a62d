//! A stream's counters when it closed: RTP/RTCP traffic, RFC 3550
//! statistics, the far end's view, and SRTP.

use std::time::Duration;

use super::srtp::SrtpSuite;

/// Counters of one stream when it closed.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StreamReport {
    /// RTP packets and bytes received (malformed ones excluded).
    pub packets_in: u64,
    /// RTP payload and header bytes received.
    pub bytes_in: u64,
    /// RTP packets sent.
    pub packets_out: u64,
    /// RTP bytes sent.
    pub bytes_out: u64,
    /// Lost by sequence numbers.
    pub lost: u64,
    /// Arrived after a later packet.
    pub late: u64,
    /// Arrived twice.
    pub duplicates: u64,
    /// Not RTP (dropped and counted).
    pub malformed: u64,
    /// RFC 3550 interarrival jitter at the end, ms.
    pub jitter_ms: f64,
    /// Estimated MOS of what we received (0 when nothing arrived).
    pub mos: f64,
    /// RTCP packets received and sent.
    pub rtcp_in: u64,
    /// RTCP reports we sent.
    pub rtcp_out: u64,
    /// The far end's last report about our stream: fraction lost (1/256).
    pub far_fraction_lost: u8,
    /// ... its cumulative loss.
    pub far_cumulative_lost: i32,
    /// ... its jitter, ms.
    pub far_jitter_ms: f64,
    /// How long the stream was open.
    pub duration: Duration,
    /// Whether the stream was encrypted (SRTP), with which suite last, and
    /// what SRTP dropped.
    pub srtp: Option<SrtpReport>,
}

/// A stream's SRTP: the suite and the packets dropped, by cause (each
/// dropped packet counted once; RTP and RTCP, either direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SrtpReport {
    /// The suite in use when the stream closed (or was last keyed).
    pub suite: SrtpSuite,
    /// Packets of a known source whose tag did not verify (or whose MKI
    /// names no key we hold).
    pub auth_failures: u64,
    /// Replayed or too old for the window; or a repeat we would have sent
    /// under an index already used.
    pub replays: u64,
    /// Packets of a source not yet authenticated that failed to
    /// authenticate, or a new source beyond the per-stream limit.
    pub unknown_ssrc: u64,
    /// Dropped because the master key's lifetime was used up.
    pub key_expired: u64,
}

impl SrtpReport {
    /// Nothing dropped yet, under `suite`.
    pub fn new(suite: SrtpSuite) -> SrtpReport {
        SrtpReport { suite, auth_failures: 0, replays: 0, unknown_ssrc: 0, key_expired: 0 }
    }
}
