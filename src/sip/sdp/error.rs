//! Typed SDP errors. Every error carries the byte offset where parsing gave up,
//! so a 400/488 log line can point at the offending byte.

use thiserror::Error;

/// What was wrong with an SDP body. Paired with a byte offset in [`SdpError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SdpErrorKind {
    /// The first line is not `v=`.
    #[error("missing v= line")]
    MissingVersion,
    /// `v=` is present but not `0`.
    #[error("unsupported SDP version")]
    BadVersion,
    /// A line that is not `<letter>=<value>`, or that holds control characters.
    #[error("malformed line")]
    BadLine,
    /// No `o=` line at session level.
    #[error("missing o= line")]
    MissingOrigin,
    /// `o=` without its six fields, or with non-numeric session id/version.
    #[error("malformed o= line")]
    BadOrigin,
    /// No `s=` line at session level.
    #[error("missing s= line")]
    MissingSessionName,
    /// `c=` without `IN IP4|IP6 <address>`.
    #[error("malformed c= line")]
    BadConnection,
    /// `m=` without media, port, proto and at least one format.
    #[error("malformed m= line")]
    BadMedia,
    /// A port (or port count) that is not a decimal in 0..=65535.
    #[error("malformed port")]
    BadPort,
    /// A known attribute (`rtpmap`, `ptime`, `rtcp`) with a malformed value.
    #[error("malformed attribute")]
    BadAttribute,
    /// The body is not UTF-8.
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// More `m=` lines than [`MAX_MEDIA`](super::MAX_MEDIA).
    #[error("too many m= lines")]
    TooManyMedia,
}

/// An SDP parse failure: what and where (byte offset into the body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("{kind} at byte {offset}")]
pub struct SdpError {
    /// What is wrong.
    pub kind: SdpErrorKind,
    /// Byte offset in the body.
    pub offset: usize,
}

impl SdpError {
    pub(super) const fn new(kind: SdpErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }
}
