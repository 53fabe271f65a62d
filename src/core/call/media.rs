//! A call's media as the signalling sees it: its RTP port, what the offer
//! and answer settled (peer address, codec, DTMF, hold, SRTP keys) and
//! whether its stream runs. The commands it gives the media layer go out
//! as effects.

use std::net::SocketAddr;

use bytes::Bytes;

use super::step::{CallEvent, MediaOp, Step};
use crate::core::offer_answer::SdpAnswer;
use crate::media::{CryptoAttribute, MediaMode, SrtpKeys};

/// One call's media state. Debug shows neither SDP bodies nor keys.
pub(crate) struct CallMedia {
    /// The SDP answer to send with our 200.
    pub(super) sdp_answer: Option<Bytes>,
    pub(super) local_port: Option<u16>,
    pub(super) sdp_version: u64,
    /// The peer holds us (its offer was sendonly, inactive or 0.0.0.0).
    pub(super) remote_held: bool,
    pub(super) remote: Option<SocketAddr>,
    /// The payload type our media plays.
    pub(super) payload_type: u8,
    /// The application's media mode for this call (None: configured).
    pub(super) mode: Option<MediaMode>,
    /// The negotiated telephone-event payload type.
    pub(super) dtmf_pt: Option<u8>,
    /// Our last re-INVITE put the peer on hold.
    pub(super) local_held: bool,
    /// While we hold the peer, our stream plays music on hold (else it
    /// sends nothing); `next_hold_music` is what our pending re-INVITE
    /// asked for.
    hold_music: bool,
    pub(super) next_hold_music: bool,
    /// The stream was opened (an Open command went out).
    pub(super) open: bool,
    /// The INVITE carried no offer: our 2xx makes one (no early media).
    pub(super) late_offer: bool,
    /// SRTP keys of both directions (None: plain RTP).
    pub(super) srtp: Option<Box<SrtpKeys>>,
    /// The `a=crypto` attributes of our offer awaiting its answer.
    pub(super) offered: Box<[CryptoAttribute]>,
}

impl std::fmt::Debug for CallMedia {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallMedia")
            .field("local_port", &self.local_port)
            .field("remote", &self.remote)
            .field("payload_type", &self.payload_type)
            .field("remote_held", &self.remote_held)
            .field("local_held", &self.local_held)
            .field("open", &self.open)
            .field("srtp", &self.srtp.as_deref().map(SrtpKeys::suite))
            .finish_non_exhaustive()
    }
}

impl CallMedia {
    /// Nothing settled yet: a call we place, on `local_port` if any.
    pub(super) fn offered(local_port: Option<u16>, mode: Option<MediaMode>) -> CallMedia {
        CallMedia {
            sdp_answer: None,
            local_port,
            sdp_version: 1,
            remote_held: false,
            remote: None,
            payload_type: 0,
            mode,
            dtmf_pt: None,
            local_held: false,
            hold_music: true,
            next_hold_music: true,
            open: false,
            late_offer: false,
            srtp: None,
            offered: Box::default(),
        }
    }

    /// What our answer to a new call's offer settled.
    pub(super) fn answered(a: SdpAnswer) -> CallMedia {
        CallMedia {
            sdp_answer: Some(a.body),
            remote_held: a.held,
            remote: a.remote,
            payload_type: a.payload_type,
            dtmf_pt: a.dtmf_pt,
            srtp: a.srtp,
            ..CallMedia::offered(a.port, None)
        }
    }

    /// What the answer to our offer settled.
    pub(super) fn settle(&mut self, a: &SdpAnswer) {
        (self.remote, self.payload_type, self.dtmf_pt) = (a.remote, a.payload_type, a.dtmf_pt);
        self.remote_held = a.held;
        self.srtp.clone_from(&a.srtp);
        self.offered = Box::default();
    }

    /// A later offer/answer settled these SRTP keys: a running stream
    /// re-keys when they changed.
    pub(super) fn rekey(&mut self, srtp: Option<Box<SrtpKeys>>, step: &mut Step) {
        if srtp == self.srtp {
            return;
        }
        self.srtp = srtp;
        if let Some(local_port) = self.running_port() {
            step.media(MediaOp::Rekey { local_port, srtp: self.srtp.clone() });
        }
    }

    /// The RTP port while the stream runs.
    pub(super) fn running_port(&self) -> Option<u16> {
        self.local_port.filter(|_| self.open)
    }

    /// Starts the stream on the call's port (none: no stream).
    pub(super) fn open(&mut self, step: &mut Step) {
        let Some(local_port) = self.local_port else { return };
        self.open = true;
        let mode = self.mode;
        step.media(MediaOp::Open {
            local_port,
            remote: self.remote,
            payload_type: self.payload_type,
            send: self.sending(),
            mode,
            dtmf_pt: self.dtmf_pt,
            srtp: self.srtp.clone(),
        });
        if mode != Some(MediaMode::Off) {
            step.event(CallEvent::MediaStarted {
                local_port,
                srtp: self.srtp.as_deref().map(SrtpKeys::suite),
            });
        }
    }

    /// Whether our stream may send: not while the peer holds us (it
    /// said it will not listen), nor while we hold it in silence.
    fn sending(&self) -> bool {
        !self.remote_held && (!self.local_held || self.hold_music)
    }

    /// Music on hold plays while we hold the peer with music.
    fn music(&self) -> bool {
        self.local_held && self.hold_music
    }

    /// Hold or resume, by the peer's offer (`remote`) or our re-INVITE
    /// answered: the stream starts or stops sending and music on hold as
    /// needed; the application hears of it.
    pub(super) fn set_held(&mut self, remote: bool, held: bool, step: &mut Step) {
        let (sending, music) = (self.sending(), self.music());
        if remote {
            self.remote_held = held;
        } else {
            self.local_held = held;
            self.hold_music = self.next_hold_music;
        }
        if let Some(local_port) = self.running_port() {
            if music != self.music() {
                step.media(MediaOp::Music { local_port, on: self.music() });
            }
            if sending != self.sending() {
                step.media(MediaOp::Direction { local_port, send: self.sending() });
            }
        }
        step.event(if held { CallEvent::Held } else { CallEvent::Resumed });
    }
}
