//! One direction's SRTP crypto context for a stream (RFC 3711 §3.2): the
//! session keys of its master key(s), chosen by MKI when there are
//! several, and per-SSRC indices and replay windows. `protect_*` is the
//! sending side, `unprotect_*` the receiving one; both work in place.

use std::fmt;

use smallvec::SmallVec;

use super::error::SrtpError;
use super::key_set::check_key_set;
use super::master_key::MasterKey;
use super::receive::{OpenUnder, open_rtcp, open_rtp};
use super::retiring_keys::RetiringKeys;
use super::rollover::Rollover;
use super::session_keys::SessionKeys;
use super::sources::Sources;
use super::suite::SrtpSuite;
use super::{srtcp_packet, srtp_packet};
use crate::media::rtp::rtp_header_len;

/// The most bytes protecting adds to a packet: E+index, a GCM tag and the
/// longest MKI. Receive into a buffer this much shorter than its size.
pub const SRTP_MAX_TRAILER: usize = 4 + 16 + 128;

/// SRTP and SRTCP state for one direction of one stream.
pub struct SrtpContext {
    suite: SrtpSuite,
    /// The first protects; unprotect picks by MKI. Inline for the usual
    /// single key: the packet path follows no pointer to reach it.
    keys: SmallVec<[SessionKeys; 1]>,
    sources: Sources,
    /// A receiving context's keys before its last re-key.
    retiring: Option<Box<RetiringKeys>>,
}

pub(super) fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl SrtpContext {
    /// A context for `keys`: one key, or several of one suite that all
    /// carry distinct MKIs of one length.
    pub fn new(keys: &[MasterKey]) -> Result<SrtpContext, SrtpError> {
        check_key_set(keys)?;
        Ok(SrtpContext {
            suite: keys[0].suite(),
            keys: keys.iter().map(SessionKeys::new).collect(),
            sources: Sources::default(),
            retiring: None,
        })
    }

    /// The suite in use.
    pub fn suite(&self) -> SrtpSuite {
        self.suite
    }

    /// New master keys for sending (a re-INVITE's); each source's ROC,
    /// sequence and replay state carry on, as the sender's sequence
    /// numbers do.
    pub fn rekey(&mut self, keys: &[MasterKey]) -> Result<(), SrtpError> {
        self.replace_keys(keys).map(drop)
    }

    /// New master keys for receiving: as `rekey`, and what is still in
    /// flight under the replaced keys opens under them (`RetiringKeys`).
    pub fn rekey_receiving(&mut self, keys: &[MasterKey]) -> Result<(), SrtpError> {
        self.retiring = Some(RetiringKeys::new(self.replace_keys(keys)?));
        Ok(())
    }

    /// Puts `keys` in place; returns the session keys they replace.
    fn replace_keys(&mut self, keys: &[MasterKey]) -> Result<SmallVec<[SessionKeys; 1]>, SrtpError> {
        let fresh = SrtpContext::new(keys)?;
        self.suite = fresh.suite;
        Ok(std::mem::replace(&mut self.keys, fresh.keys))
    }

    /// Opens a packet with `open` under the current keys, then, when they
    /// cannot, under the retiring ones.
    fn unprotect(&mut self, open: OpenUnder, packet: &mut [u8]) -> Result<usize, SrtpError> {
        let current = open(&mut self.keys, &mut self.sources, packet);
        RetiringKeys::fall_back(&mut self.retiring, current, |keys| open(keys, &mut self.sources, packet))
    }

    /// Protects the RTP packet `buf[..len]` in place; returns its SRTP
    /// length (`buf` needs `SRTP_MAX_TRAILER` spare bytes).
    pub fn protect_rtp(&mut self, buf: &mut [u8], len: usize) -> Result<usize, SrtpError> {
        let packet = buf.get(..len).ok_or(SrtpError::NoRoom)?;
        let hdr = rtp_header_len(packet).map_err(|_| SrtpError::Malformed)?;
        let (seq, ssrc) = (u16::from_be_bytes([packet[2], packet[3]]), be32(packet, 8));
        let at = self.source_for_sending(ssrc)?;
        let src = self.sources.at(at);
        let index = match src.rollover {
            Some(r) => r.estimate(seq).ok_or(SrtpError::Replay)?,
            None => u64::from(seq),
        };
        // Never two packets under one index: the keystream would repeat.
        src.rtp_seen.check(index)?;
        let keys = &mut self.keys[0];
        keys.check_lifetime()?;
        let n = srtp_packet::seal(keys, buf, len, hdr, ssrc, index)?;
        keys.spend();
        src.rtp_seen.accept(index);
        src.rollover.get_or_insert(Rollover::start(seq)).advance(index);
        Ok(n)
    }

    /// Authenticates and decrypts an SRTP packet in place; returns the RTP
    /// length. A replay is refused before the tag is checked.
    pub fn unprotect_rtp(&mut self, packet: &mut [u8]) -> Result<usize, SrtpError> {
        self.unprotect(open_rtp, packet)
    }

    /// Protects the compound RTCP packet `buf[..len]` in place with the
    /// sender's next SRTCP index; returns its SRTCP length.
    pub fn protect_rtcp(&mut self, buf: &mut [u8], len: usize) -> Result<usize, SrtpError> {
        if len < srtcp_packet::CLEAR || buf.len() < len {
            return Err(SrtpError::Malformed);
        }
        let at = self.source_for_sending(be32(buf, 4))?;
        let src = self.sources.at(at);
        if src.rtcp_next > 0x7fff_ffff {
            return Err(SrtpError::KeyExpired);
        }
        let keys = &mut self.keys[0];
        keys.check_lifetime()?;
        let n = srtcp_packet::seal(keys, buf, len, src.rtcp_next)?;
        keys.spend();
        src.rtcp_next += 1;
        Ok(n)
    }

    /// Authenticates and decrypts an SRTCP packet in place; returns the
    /// RTCP length.
    pub fn unprotect_rtcp(&mut self, packet: &mut [u8]) -> Result<usize, SrtpError> {
        self.unprotect(open_rtcp, packet)
    }

    fn source_for_sending(&mut self, ssrc: u32) -> Result<usize, SrtpError> {
        match self.sources.find(ssrc) {
            Some(at) => Ok(at),
            None if self.sources.has_room() => Ok(self.sources.add(ssrc)),
            None => Err(SrtpError::UnknownSsrc),
        }
    }
}

impl fmt::Debug for SrtpContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrtpContext").field("suite", &self.suite).field("keys", &self.keys.len()).finish()
    }
}
