//! Why a packet was not protected or unprotected, or why key material
//! from SDP was refused.

use thiserror::Error;

/// An SRTP failure. Packet errors are counted and the packet dropped;
/// key-material errors refuse the `a=crypto` line they came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SrtpError {
    /// Not an RTP/RTCP packet, or too short for the suite's trailer.
    #[error("malformed SRTP/SRTCP packet")]
    Malformed,
    /// The tag did not verify, or the MKI names no key we hold.
    #[error("authentication failed")]
    AuthFailed,
    /// Seen before, or older than the replay window.
    #[error("replayed or too old")]
    Replay,
    /// A source the context has not authenticated before whose packet did
    /// not authenticate, or a new source when the source table is full.
    #[error("unknown SSRC")]
    UnknownSsrc,
    /// The master key's lifetime (or the SRTCP index space) is used up.
    #[error("master key lifetime exceeded")]
    KeyExpired,
    /// The buffer has no room for the trailer.
    #[error("no room for the SRTP trailer")]
    NoRoom,
    /// The OS random source failed.
    #[error("the OS random source failed")]
    Random,
    /// Key material that cannot be used; says what is wrong.
    #[error("bad SRTP key material: {0}")]
    BadKey(&'static str),
}
