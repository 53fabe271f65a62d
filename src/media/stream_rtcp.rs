//! A stream's RTCP: the far end's reports in, our receiver reports out
//! at RFC 3550 intervals.

use std::net::SocketAddr;
use std::time::Instant;

use super::counters::MediaTotals;
use super::rtcp::{ReportBlock, parse_rtcp, write_receiver_report};
use super::srtp::SRTP_MAX_TRAILER;
use super::stream::{CLOCK_HZ, RTCP_INTERVAL, Stream};

impl Stream {
    /// Reads the far end's reports; false (a counted drop) when the
    /// compound does not parse.
    pub(crate) fn on_rtcp(&mut self, now: Instant, data: &[u8], from: SocketAddr) -> bool {
        let Ok(p) = parse_rtcp(data) else {
            self.counts.malformed += 1;
            return false;
        };
        self.counts.rtcp_in += 1;
        self.rtcp_remote = Some(from);
        if let Some(ntp) = p.sr_ntp_middle {
            self.last_sr = Some((ntp, now));
        }
        // One source each way: the block is about what we send (our SSRC
        // when we play, the echoed one when we reflect).
        if let Some(b) = p.block {
            self.counts.far_fraction_lost = b.fraction_lost;
            self.counts.far_cumulative_lost = b.cumulative_lost;
            self.counts.far_jitter_ms = f64::from(b.jitter) * 1000.0 / CLOCK_HZ as f64;
        }
        true
    }

    /// Sends our RR (SRTCP when encrypted) when it is due and we have
    /// something to report.
    pub(crate) fn rtcp_due(&mut self, now: Instant, totals: &mut MediaTotals) {
        if now < self.next_rr {
            return;
        }
        self.next_rr = now + RTCP_INTERVAL;
        let Some(to) = self.rtcp_remote.filter(|_| self.rx.received > 0) else { return };
        let (last_sr, delay) = match self.last_sr {
            Some((ntp, at)) => {
                (ntp, (now.saturating_duration_since(at).as_micros() * 65_536 / 1_000_000) as u32)
            }
            None => (0, 0),
        };
        let block = ReportBlock {
            ssrc: self.rx.ssrc(),
            fraction_lost: self.rx.fraction_lost_since_last(),
            cumulative_lost: self.rx.lost().min(0x7f_ffff) as i32,
            highest_seq: self.rx.extended_highest(),
            jitter: self.rx.jitter as u32,
            last_sr,
            delay_since_last_sr: delay,
        };
        let mut buf = [0u8; 64 + SRTP_MAX_TRAILER];
        let n = write_receiver_report((&mut buf[..64]).try_into().expect("64 bytes"), self.ssrc, &block);
        let Some(n) = self.protect(&mut buf, n, true, totals) else { return };
        if self.rtcp.send_to(&buf[..n], to).is_ok() {
            self.counts.rtcp_out += 1;
        }
    }
}
