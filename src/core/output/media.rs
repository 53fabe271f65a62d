//! Media work for the RTP layer, naming each stream by its RTP port: the
//! runtime looks up the socket pair it bound for that port.

use std::net::SocketAddr;

use crate::core::CallHandle;
use crate::media::{MediaMode, SrtpKeys};

/// Media work for the RTP layer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaCommand {
    /// Start media for a call on `local_port`, towards `remote` (if known).
    Open {
        /// The call.
        call: CallHandle,
        /// Our RTP port from the SDP answer.
        local_port: u16,
        /// The peer's RTP address from the offer.
        remote: Option<SocketAddr>,
        /// The payload type to play (0 PCMU, 8 PCMA).
        payload_type: u8,
        /// Whether we may send (false when the offer holds us).
        send: bool,
        /// The application's mode for this call (None: configured).
        mode: Option<MediaMode>,
        /// The telephone-event payload type (DTMF), if negotiated.
        dtmf_pt: Option<u8>,
        /// SRTP keys of both directions (None: plain RTP). Debug shows
        /// no key. Boxed: most calls are plain, and commands stay small.
        srtp: Option<Box<SrtpKeys>>,
    },
    /// A new offer/answer changed the stream's SRTP keys (or turned
    /// encryption off: None).
    Rekey {
        /// The call.
        call: CallHandle,
        /// The call's RTP port.
        local_port: u16,
        /// The keys from now on.
        srtp: Option<Box<SrtpKeys>>,
    },
    /// The application changed what the call's media does.
    Mode {
        /// The call.
        call: CallHandle,
        /// The call's RTP port.
        local_port: u16,
        /// The new mode.
        mode: MediaMode,
    },
    /// Direction changed (hold/resume): `send` false while held.
    Direction {
        /// The call.
        call: CallHandle,
        /// The call's RTP port.
        local_port: u16,
        /// Whether we may send.
        send: bool,
    },
    /// Music on hold (we hold the call): while `on`, the stream plays
    /// the tone and sends nothing else.
    Music {
        /// The call.
        call: CallHandle,
        /// The call's RTP port.
        local_port: u16,
        /// Play music on hold.
        on: bool,
    },
    /// Cross-connect two calls' streams: what one hears, the other sends.
    Bridge {
        /// The call that completed the bridge.
        call: CallHandle,
        /// Its RTP port.
        local_port: u16,
        /// The other call's RTP port.
        other_port: u16,
    },
    /// Stop media and free the port.
    Close {
        /// The call.
        call: CallHandle,
        /// The port to free.
        local_port: u16,
    },
}
