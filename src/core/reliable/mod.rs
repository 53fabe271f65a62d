//! Reliable provisional responses (RFC 3262), both roles, as plain state
//! the call keeps: as UAS (`uas`) the RSeq numbers we give, the reliable
//! provisional waiting for its PRACK and whether our 2xx waits for it; as
//! UAC (`uac`) the RSeq each early dialog has reached, so every reliable
//! provisional is PRACKed once and in order. `rack` reads and writes the
//! RAck header. The call decides and the shard writes; nothing here
//! touches the wire.

mod rack;
mod uac;
mod uas;

pub(crate) use rack::RAck;
pub(crate) use uac::RseqSeen;
pub(crate) use uas::{PrackMatch, ReliableUas};

use crate::sip::Message;

/// The option tag of RFC 3262.
pub(crate) const TAG: &str = "100rel";

/// Whether `tag` is the 100rel option tag (option tags compare without
/// case, RFC 3261 §19.2).
pub(crate) fn is_100rel(tag: &str) -> bool {
    tag.trim().eq_ignore_ascii_case(TAG)
}

/// How a request asks for reliable provisionals: `Require: 100rel`
/// (we must), `Supported: 100rel` (we may), or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PeerAsks {
    Required,
    Supported,
    No,
}

impl PeerAsks {
    pub(crate) fn of(msg: &Message) -> PeerAsks {
        if msg.require().any(is_100rel) {
            PeerAsks::Required
        } else if msg.supported().any(is_100rel) {
            PeerAsks::Supported
        } else {
            PeerAsks::No
        }
    }
}

/// The RSeq of a reliable provisional response: `Require: 100rel` and a
/// valid `RSeq` (1 to 2^32-1, RFC 3262 §7.1). None for any other
/// response, which is not to be PRACKed.
pub(crate) fn reliable_rseq(msg: &Message) -> Option<u32> {
    if !msg.require().any(is_100rel) {
        return None;
    }
    let v = msg.header(crate::sip::HeaderName::Rseq)?.trim();
    if v.is_empty() || v.len() > 10 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u32>().ok().filter(|&n| n > 0)
}
