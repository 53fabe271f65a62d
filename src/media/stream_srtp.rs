//! A stream's SRTP: an inbound context (the peer's keys) that
//! authenticates and decrypts what arrives before anything else looks at
//! it, an outbound one (our keys) that protects what we send, re-keying,
//! and the count of what was dropped, per stream and pool-wide.

use std::net::SocketAddr;

use super::counters::MediaTotals;
use super::srtp::{SrtpContext, SrtpError, SrtpKeys};
use super::stream::Stream;
use super::stream_report::SrtpReport;

/// Both directions' contexts.
pub(crate) struct StreamSrtp {
    inbound: SrtpContext,
    outbound: SrtpContext,
}

impl StreamSrtp {
    pub(crate) fn new(keys: &SrtpKeys) -> Result<StreamSrtp, SrtpError> {
        let (inbound, outbound) = keys.contexts()?;
        Ok(StreamSrtp { inbound, outbound })
    }
}

impl Stream {
    /// Switches to `keys` (contexts keep each source's indices) or to
    /// plain RTP; the counters carry on.
    pub(crate) fn rekey(&mut self, keys: Option<&SrtpKeys>) -> Result<(), SrtpError> {
        let Some(keys) = keys else {
            self.srtp = None;
            return Ok(());
        };
        match self.srtp.as_deref_mut() {
            Some(s) => {
                s.inbound.rekey_receiving(keys.inbound())?;
                s.outbound.rekey(std::slice::from_ref(keys.outbound()))?;
            }
            None => self.srtp = Some(Box::new(StreamSrtp::new(keys)?)),
        }
        self.srtp_counts.get_or_insert(SrtpReport::new(keys.suite())).suite = keys.suite();
        Ok(())
    }

    /// Counts a packet SRTP dropped, here and in the thread's totals.
    fn srtp_dropped(&mut self, e: SrtpError, totals: &mut MediaTotals) {
        let Some(r) = self.srtp_counts.as_mut() else { return };
        match e {
            SrtpError::AuthFailed => {
                (r.auth_failures, totals.srtp_auth_failures) =
                    (r.auth_failures + 1, totals.srtp_auth_failures + 1)
            }
            SrtpError::Replay => (r.replays, totals.srtp_replays) = (r.replays + 1, totals.srtp_replays + 1),
            SrtpError::UnknownSsrc => {
                (r.unknown_ssrc, totals.srtp_unknown_ssrc) =
                    (r.unknown_ssrc + 1, totals.srtp_unknown_ssrc + 1)
            }
            SrtpError::KeyExpired => {
                (r.key_expired, totals.srtp_key_expired) = (r.key_expired + 1, totals.srtp_key_expired + 1)
            }
            _ => {
                (self.counts.malformed, totals.malformed) = (self.counts.malformed + 1, totals.malformed + 1)
            }
        }
    }

    /// Authenticates and decrypts an arrived datagram in place (RTP or
    /// RTCP); returns the plain length, or None when it was dropped.
    pub(crate) fn unprotect(
        &mut self,
        packet: &mut [u8],
        rtcp: bool,
        totals: &mut MediaTotals,
    ) -> Option<usize> {
        let Some(s) = self.srtp.as_deref_mut() else { return Some(packet.len()) };
        let got = if rtcp { s.inbound.unprotect_rtcp(packet) } else { s.inbound.unprotect_rtp(packet) };
        got.map_err(|e| self.srtp_dropped(e, totals)).ok()
    }

    /// Protects `buf[..len]` in place (RTP or RTCP) when the stream is
    /// encrypted; returns the length to send, or None when it was dropped.
    pub(crate) fn protect(
        &mut self,
        buf: &mut [u8],
        len: usize,
        rtcp: bool,
        totals: &mut MediaTotals,
    ) -> Option<usize> {
        let Some(s) = self.srtp.as_deref_mut() else { return Some(len) };
        let got = if rtcp { s.outbound.protect_rtcp(buf, len) } else { s.outbound.protect_rtp(buf, len) };
        got.map_err(|e| self.srtp_dropped(e, totals)).ok()
    }

    /// Protects and sends an RTP packet from our RTP socket; the wire
    /// length when it went out.
    pub(crate) fn send_rtp(
        &mut self,
        buf: &mut [u8],
        len: usize,
        to: SocketAddr,
        totals: &mut MediaTotals,
    ) -> Option<usize> {
        let n = self.protect(buf, len, false, totals)?;
        self.send_to(&buf[..n], to).then_some(n)
    }
}
