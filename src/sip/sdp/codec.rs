//! The codecs this engine can answer with, and the local media description.

use std::net::IpAddr;

/// Payload type used for telephone-event in our own offers (the common choice).
pub const TELEPHONE_EVENT_PT: u8 = 101;

/// A codec we support. G.711 only: no transcoding, so nothing else is useful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Codec {
    /// G.711 µ-law (payload type 0).
    Pcmu,
    /// G.711 A-law (payload type 8).
    Pcma,
    /// RFC 4733 DTMF events.
    TelephoneEvent,
}

impl Codec {
    /// What we offer and accept unless configured otherwise.
    pub const DEFAULT_ORDER: [Codec; 3] = [Codec::Pcmu, Codec::Pcma, Codec::TelephoneEvent];

    /// The rtpmap encoding name.
    pub const fn name(self) -> &'static str {
        match self {
            Codec::Pcmu => "PCMU",
            Codec::Pcma => "PCMA",
            Codec::TelephoneEvent => "telephone-event",
        }
    }

    /// RTP clock rate; all three run at 8 kHz.
    pub const fn clock_rate(self) -> u32 {
        8000
    }

    /// The RFC 3551 static payload type, if any.
    pub const fn static_pt(self) -> Option<u8> {
        match self {
            Codec::Pcmu => Some(0),
            Codec::Pcma => Some(8),
            Codec::TelephoneEvent => None,
        }
    }

    /// Whether it carries voice (telephone-event alone is not a usable stream).
    pub const fn is_voice(self) -> bool {
        !matches!(self, Codec::TelephoneEvent)
    }

    /// The payload type we use when we are the offerer.
    pub const fn offer_pt(self) -> u8 {
        match self.static_pt() {
            Some(pt) => pt,
            None => TELEPHONE_EVENT_PT,
        }
    }
}

/// What this side can do and where it receives media.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalMedia {
    /// Supported codecs, most preferred first.
    pub codecs: Vec<Codec>,
    /// Address for `o=` and `c=`.
    pub address: IpAddr,
    /// RTP port of the (single) audio stream.
    pub port: u16,
    /// o= session id.
    pub session_id: u64,
    /// o= session version (raised with each new offer or answer).
    pub session_version: u64,
    /// o= user name.
    pub username: String,
    /// a=ptime, ms.
    pub ptime: Option<u32>,
}
