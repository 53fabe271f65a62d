//! What crosses into and out of the media threads: commands from the
//! shards, events back to them, and a stream's final report.

use std::net::{SocketAddr, UdpSocket};

use super::srtp::SrtpKeys;
pub use super::stream_report::StreamReport;

/// What a media thread does with a stream's packets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaMode {
    /// No sockets; the SDP answer names a port nobody listens on.
    Off,
    /// Reflect each packet back to its sender.
    Echo,
    /// Send a paced G.711 tone (or file) every 20 ms; count what arrives.
    Play,
    /// Count and discard.
    Sink,
    /// Cross-connect with another stream (calls paired in arrival order).
    Bridge,
}

impl std::str::FromStr for MediaMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "off" => MediaMode::Off,
            "echo" => MediaMode::Echo,
            "play" => MediaMode::Play,
            "sink" => MediaMode::Sink,
            "bridge" => MediaMode::Bridge,
            _ => return Err(format!("unknown media mode {s:?} (off, echo, play, sink, bridge)")),
        })
    }
}

/// A new stream: bound sockets and where to send.
#[derive(Debug)]
pub struct OpenStream {
    /// The caller's key for the stream (a call handle).
    pub id: u64,
    /// Which event queue hears about it (a shard number).
    pub owner: usize,
    /// Our RTP port (the key of later commands).
    pub local_port: u16,
    /// RTP socket (even port).
    pub rtp: UdpSocket,
    /// RTCP socket (odd port).
    pub rtcp: UdpSocket,
    /// The peer's RTP address from its SDP (latched on the first packet).
    pub remote: Option<SocketAddr>,
    /// Payload type to play: 0 PCMU, 8 PCMA.
    pub payload_type: u8,
    /// Whether we may send (false while the peer holds).
    pub send: bool,
    /// Bridge mode: the port of the stream to cross-connect with (the
    /// pool fills it in).
    pub partner: Option<u16>,
    /// This stream's mode (None: the pool's).
    pub mode: Option<MediaMode>,
    /// The negotiated telephone-event payload type (DTMF), if any.
    pub dtmf_pt: Option<u8>,
    /// SRTP keys (RTP/SAVP): what arrives is authenticated and decrypted
    /// with the peer's, what we send protected with ours. None: plain RTP.
    pub srtp: Option<SrtpKeys>,
}

impl OpenStream {
    /// A stream on a bound pair that may send at once, in the pool's mode,
    /// without DTMF or SRTP; callers set the other fields by struct update.
    pub fn on_pair(
        id: u64,
        owner: usize,
        local_port: u16,
        (rtp, rtcp): (UdpSocket, UdpSocket),
    ) -> OpenStream {
        OpenStream {
            id,
            owner,
            local_port,
            rtp,
            rtcp,
            remote: None,
            payload_type: 0,
            send: true,
            partner: None,
            mode: None,
            dtmf_pt: None,
            srtp: None,
        }
    }
}

/// Work for the media pool.
#[derive(Debug)]
pub enum StreamCommand {
    /// Start a stream.
    Open(OpenStream),
    /// Hold (`send` false) or resume.
    Direction {
        /// The stream's RTP port.
        local_port: u16,
        /// Whether we may send.
        send: bool,
    },
    /// Close the sockets, report, and free the port pair.
    Close {
        /// The stream's RTP port.
        local_port: u16,
    },
    /// Change what the stream does (echo, play, sink).
    Mode {
        /// The stream's RTP port.
        local_port: u16,
        /// The new mode.
        mode: MediaMode,
    },
    /// Music on hold on or off: while on, the stream plays the tone and
    /// sends nothing else; off, it does what its mode says again.
    Music {
        /// The stream's RTP port.
        local_port: u16,
        /// Play music on hold.
        on: bool,
    },
    /// Cross-connect two streams: what one receives goes out the other.
    /// The first stream moves to the partner's thread when they differ.
    Bridge {
        /// The stream's RTP port.
        local_port: u16,
        /// The partner's RTP port.
        partner: u16,
    },
    /// New SRTP keys (a re-INVITE's offer/answer), or plain RTP from now
    /// on (None). Each source's sequence and rollover state carries on.
    Rekey {
        /// The stream's RTP port.
        local_port: u16,
        /// Both directions' keys.
        srtp: Option<SrtpKeys>,
    },
    /// A stream moving from another media thread (bridging).
    #[doc(hidden)]
    Adopt(Box<super::stream::Stream>, u16),
}

impl StreamCommand {
    /// The port of the stream the command is about (None for an open).
    pub(crate) fn port(&self) -> Option<u16> {
        match self {
            StreamCommand::Open(_) => None,
            StreamCommand::Direction { local_port, .. }
            | StreamCommand::Close { local_port }
            | StreamCommand::Mode { local_port, .. }
            | StreamCommand::Music { local_port, .. }
            | StreamCommand::Bridge { local_port, .. }
            | StreamCommand::Rekey { local_port, .. } => Some(*local_port),
            StreamCommand::Adopt(s, _) => Some(s.local_port),
        }
    }
}

/// What happened to a stream.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaEventKind {
    /// No RTP for the configured media timeout.
    Timeout,
    /// The stream closed; its final counters.
    Closed(StreamReport),
    /// A key press arrived as an RFC 4733 telephone-event.
    Dtmf(super::dtmf::DtmfPress),
}

/// An event for the stream's owner.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaEvent {
    /// The owner given at open (a shard).
    pub owner: usize,
    /// The caller's key given at open.
    pub id: u64,
    /// The stream's RTP port.
    pub local_port: u16,
    /// What happened.
    pub kind: MediaEventKind,
}
