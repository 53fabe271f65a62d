//! What one SDP exchange settled for a call's stream: our body to send,
//! our port, the peer's address, codecs, hold and SRTP keys.

use std::net::SocketAddr;

use bytes::Bytes;

use crate::media::SrtpKeys;
use crate::sip::sdp::{self, Codec, HoldState};

/// An SDP body to send and what it settled. Debug shows neither the
/// body nor the keys.
pub(crate) struct SdpAnswer {
    pub body: Bytes,
    /// Our RTP port when a stream was accepted.
    pub port: Option<u16>,
    /// The peer holds the call (sendonly/inactive/0.0.0.0).
    pub held: bool,
    /// The peer's RTP address.
    pub remote: Option<SocketAddr>,
    /// The payload type we play: the first accepted G.711 format.
    pub payload_type: u8,
    /// The telephone-event payload type both sides use (DTMF).
    pub dtmf_pt: Option<u8>,
    /// SRTP keys of both directions (None: plain RTP).
    pub srtp: Option<Box<SrtpKeys>>,
}

impl std::fmt::Debug for SdpAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SdpAnswer")
            .field("body_len", &self.body.len())
            .field("port", &self.port)
            .field("held", &self.held)
            .field("remote", &self.remote)
            .field("payload_type", &self.payload_type)
            .field("srtp", &self.srtp.as_deref().map(SrtpKeys::suite))
            .finish()
    }
}

/// The stream both sides settled on: port, peer address, codecs, hold.
pub(super) fn settle(answer: &sdp::Answer<'_>, body: Bytes, port: u16) -> SdpAnswer {
    let accepted = answer.accepted();
    SdpAnswer {
        body,
        port: accepted.map(|_| port),
        held: answer.hold == HoldState::Held,
        remote: accepted.and_then(|m| m.remote),
        payload_type: accepted
            .and_then(|m| m.formats.iter().find(|(_, c)| matches!(c, Codec::Pcmu | Codec::Pcma)))
            .map_or(0, |&(pt, _)| pt),
        dtmf_pt: accepted
            .and_then(|m| m.formats.iter().find(|(_, c)| *c == Codec::TelephoneEvent))
            .map(|&(pt, _)| pt),
        srtp: None,
    }
}
