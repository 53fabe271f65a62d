//! One media stream on a media thread: its sockets, the latched peer,
//! receiver statistics and the state of what we play (RTCP: stream_rtcp).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mio::net::UdpSocket;

use super::command::{MediaMode, OpenStream, StreamReport};
use super::counters::MediaTotals;
use super::g711::FRAME_SAMPLES;
use super::quality::estimated_mos;
use super::receiver_stats::ReceiverStats;
use super::rtp::{parse_rtp, write_rtp_header};
use super::srtp::SRTP_MAX_TRAILER;
use super::stream_report::SrtpReport;
use super::stream_srtp::StreamSrtp;

/// RTP clock of the audio we handle (G.711, telephone-event).
pub(crate) const CLOCK_HZ: u128 = 8_000;
/// RFC 3550 §6.2: the minimum RTCP interval.
pub(crate) const RTCP_INTERVAL: Duration = Duration::from_secs(5);

/// One stream's state (opaque outside the media threads; it moves between
/// them when two streams on different threads are bridged).
pub struct Stream {
    pub(crate) id: u64,
    pub(crate) owner: usize,
    pub(crate) local_port: u16,
    pub(crate) rtp: UdpSocket,
    pub(crate) rtcp: UdpSocket,
    pub(crate) remote: Option<SocketAddr>,
    latched: bool,
    pub(crate) rtcp_remote: Option<SocketAddr>,
    pub(crate) send: bool,
    pub(crate) payload_type: u8,
    pub(crate) rx: ReceiverStats,
    pub(crate) counts: StreamReport,
    opened: Instant,
    pub(crate) last_rx: Instant,
    pub(crate) timed_out: bool,
    seq: u16,
    timestamp: u32,
    pub(crate) ssrc: u32,
    resumed: bool,
    pub(crate) next_rr: Instant,
    pub(crate) last_sr: Option<(u32, Instant)>,
    pub(crate) partner: Option<usize>,
    pub(crate) mode: MediaMode,
    /// Music on hold: the tone plays whatever the mode, and nothing else
    /// (echo, a bridge partner) is sent.
    pub(crate) music: bool,
    pub(crate) dtmf_pt: Option<u8>,
    pub(crate) dtmf: super::dtmf::DtmfReceiver,
    /// A key press the last packet ended (taken by the worker).
    pub(crate) pressed: Option<super::dtmf::DtmfPress>,
    /// SRTP contexts while the stream is encrypted.
    pub(crate) srtp: Option<Box<StreamSrtp>>,
    /// What SRTP dropped; Some once the stream was ever encrypted.
    pub(crate) srtp_counts: Option<SrtpReport>,
}

impl Stream {
    pub(crate) fn new(open: OpenStream, now: Instant) -> std::io::Result<Stream> {
        let srtp = match &open.srtp {
            Some(keys) => Some(Box::new(StreamSrtp::new(keys).map_err(std::io::Error::other)?)),
            None => None,
        };
        open.rtp.set_nonblocking(true)?;
        open.rtcp.set_nonblocking(true)?;
        // A per-stream SSRC and start point that differ between streams.
        let seed = (u64::from(open.local_port) << 32 ^ open.id).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        // RFC 3550 §6.2: the first report after half the minimum interval,
        // randomised over [0.5, 1.5] of it.
        let first_rr = RTCP_INTERVAL / 4 + Duration::from_millis(seed % 2_500);
        Ok(Stream {
            id: open.id,
            owner: open.owner,
            local_port: open.local_port,
            rtp: UdpSocket::from_std(open.rtp),
            rtcp: UdpSocket::from_std(open.rtcp),
            remote: open.remote,
            latched: false,
            rtcp_remote: open.remote.map(|a| SocketAddr::new(a.ip(), a.port().wrapping_add(1))),
            send: open.send,
            payload_type: open.payload_type,
            rx: ReceiverStats::default(),
            counts: StreamReport::default(),
            opened: now,
            last_rx: now,
            timed_out: false,
            seq: (seed >> 16) as u16,
            timestamp: (seed >> 32) as u32,
            ssrc: (seed >> 8) as u32 | 1,
            resumed: false,
            next_rr: now + first_rr,
            last_sr: None,
            partner: None,
            mode: open.mode.unwrap_or(MediaMode::Echo),
            music: false,
            dtmf_pt: open.dtmf_pt,
            dtmf: Default::default(),
            pressed: None,
            srtp,
            srtp_counts: open.srtp.as_ref().map(|k| SrtpReport::new(k.suite())),
        })
    }

    /// Accounts one arrived datagram (`data` plain, `wire` bytes as it
    /// came); false when it is not RTP (dropped). The first good packet
    /// latches the peer's address (symmetric RTP): with SRTP only one
    /// that authenticated gets here.
    pub(crate) fn on_rtp(&mut self, now: Instant, data: &[u8], wire: usize, from: SocketAddr) -> bool {
        let Ok(h) = parse_rtp(data) else {
            self.counts.malformed += 1;
            return false;
        };
        if !self.latched {
            self.latched = true;
            self.remote = Some(from);
        }
        let arrival =
            (now.saturating_duration_since(self.opened).as_nanos() * CLOCK_HZ / 1_000_000_000) as u32;
        self.rx.on_packet(h.seq, h.ssrc, h.timestamp, arrival);
        self.counts.packets_in += 1;
        self.counts.bytes_in += wire as u64;
        self.last_rx = now;
        self.timed_out = false;
        if Some(h.payload_type) == self.dtmf_pt {
            self.pressed = self.dtmf.on_payload(h.timestamp, &data[h.payload.0..h.payload.1]);
        }
        true
    }

    /// Sends `data` from our RTP socket (counted when it went out).
    pub(crate) fn send_to(&mut self, data: &[u8], to: SocketAddr) -> bool {
        let sent = self.rtp.send_to(data, to).is_ok();
        self.counts.packets_out += u64::from(sent);
        self.counts.bytes_out += if sent { data.len() as u64 } else { 0 };
        sent
    }

    /// One 20 ms frame of what we play; the clock runs on while held, and
    /// the first packet after a resume carries the marker bit.
    pub(crate) fn play(&mut self, frame: &[u8; FRAME_SAMPLES], totals: &mut MediaTotals) -> Option<usize> {
        let mut packet = [0u8; 12 + FRAME_SAMPLES + SRTP_MAX_TRAILER];
        let (seq, ts) = (self.seq, self.timestamp);
        self.timestamp = self.timestamp.wrapping_add(FRAME_SAMPLES as u32);
        let Some(to) = self.remote.filter(|_| self.send) else {
            self.resumed = true;
            return None;
        };
        let mut header = [0u8; 12];
        write_rtp_header(
            &mut header,
            self.payload_type,
            std::mem::take(&mut self.resumed),
            seq,
            ts,
            self.ssrc,
        );
        packet[..12].copy_from_slice(&header);
        packet[12..12 + FRAME_SAMPLES].copy_from_slice(frame);
        self.seq = self.seq.wrapping_add(1);
        self.send_rtp(&mut packet, 12 + FRAME_SAMPLES, to, totals)
    }

    /// The counters as they stand, with loss, jitter and MOS filled in.
    pub(crate) fn report(&self, now: Instant) -> StreamReport {
        let mut r = self.counts;
        r.lost = self.rx.lost();
        r.late = self.rx.late;
        r.duplicates = self.rx.duplicates;
        r.jitter_ms = self.rx.jitter * 1000.0 / CLOCK_HZ as f64;
        let expected = self.rx.expected();
        if expected > 0 {
            r.mos = estimated_mos(100.0 * r.lost as f64 / expected as f64, r.jitter_ms, 0.0);
        }
        r.duration = now.saturating_duration_since(self.opened);
        r.srtp = self.srtp_counts;
        r
    }
}
