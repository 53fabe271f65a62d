//! Receiving under one key set: the key the packet's MKI names, its
//! lifetime, the packet index from the source's rollover, the replay
//! window, the tag, and the source learnt once its first packet
//! authenticates. A context runs this under its current keys and, after a
//! re-key, under the retiring ones.

use super::context::be32;
use super::error::SrtpError;
use super::key_set::key_named_by_mki;
use super::rollover::Rollover;
use super::session_keys::SessionKeys;
use super::sources::Sources;
use super::{srtcp_packet, srtp_packet};
use crate::media::rtp::rtp_header_len;

/// Opening a packet under one key set, tracking its source: `open_rtp`
/// or `open_rtcp`.
pub(super) type OpenUnder = fn(&mut [SessionKeys], &mut Sources, &mut [u8]) -> Result<usize, SrtpError>;

/// Opens an SRTP packet under one key set, tracking its source in
/// `sources`.
pub(super) fn open_rtp(
    keys: &mut [SessionKeys],
    sources: &mut Sources,
    packet: &mut [u8],
) -> Result<usize, SrtpError> {
    let hdr = rtp_header_len(packet).map_err(|_| SrtpError::Malformed)?;
    let (seq, ssrc) = (u16::from_be_bytes([packet[2], packet[3]]), be32(packet, 8));
    let keys = &mut keys[key_named_by_mki(keys, false, packet)?];
    keys.check_lifetime()?;
    let known = sources.find(ssrc);
    let index = match known.and_then(|at| sources.at(at).rollover) {
        Some(r) => r.estimate(seq).ok_or(SrtpError::Replay)?,
        None => u64::from(seq),
    };
    let (at, n) = match known {
        Some(at) => {
            sources.at(at).rtp_seen.check(index)?;
            (at, srtp_packet::open(keys, packet, hdr, ssrc, index)?)
        }
        None if !sources.has_room() => return Err(SrtpError::UnknownSsrc),
        None => {
            let n = srtp_packet::open(keys, packet, hdr, ssrc, index).map_err(unknown_source)?;
            (sources.add(ssrc), n)
        }
    };
    keys.spend();
    let src = sources.at(at);
    src.rtp_seen.accept(index);
    src.rollover.get_or_insert(Rollover::start(seq)).advance(index);
    Ok(n)
}

/// Opens an SRTCP packet under one key set.
pub(super) fn open_rtcp(
    keys: &mut [SessionKeys],
    sources: &mut Sources,
    packet: &mut [u8],
) -> Result<usize, SrtpError> {
    let keys = &mut keys[key_named_by_mki(keys, true, packet)?];
    keys.check_lifetime()?;
    let (ssrc, word, _) = srtcp_packet::fields(&keys.rtcp, packet, keys.mki_len())?;
    let index = u64::from(word & 0x7fff_ffff);
    let (at, n) = match sources.find(ssrc) {
        Some(at) => {
            sources.at(at).rtcp_seen.check(index)?;
            (at, srtcp_packet::open(keys, packet)?)
        }
        None if !sources.has_room() => return Err(SrtpError::UnknownSsrc),
        None => {
            let n = srtcp_packet::open(keys, packet).map_err(unknown_source)?;
            (sources.add(ssrc), n)
        }
    };
    keys.spend();
    sources.at(at).rtcp_seen.accept(index);
    Ok(n)
}

/// A source we do not know whose packet failed to authenticate.
fn unknown_source(e: SrtpError) -> SrtpError {
    if e == SrtpError::AuthFailed { SrtpError::UnknownSsrc } else { e }
}
