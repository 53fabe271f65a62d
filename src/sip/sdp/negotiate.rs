//! RFC 3264 answerer: picks one audio stream and the common G.711 codecs.

use std::net::SocketAddr;

use smallvec::SmallVec;
use thiserror::Error;

use super::codec::{Codec, LocalMedia};
use super::direction::{Direction, HoldState, hold_state};
use super::media::{MediaDescription, RtpMap};
use super::session::SessionDescription;

/// The answer to an offer: one entry per offered `m=` line, in offer order
/// (RFC 3264 §6 requires the answer to mirror the offer's m= lines).
/// Borrows its text from the offer and stays inline for the usual one or
/// two streams: answering costs no allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer<'a> {
    /// One answer line per offered m= line, in order.
    pub media: SmallVec<[AnsweredMedia<'a>; 2]>,
    /// Whether the offer puts us on hold.
    pub hold: HoldState,
}

/// One answered `m=` line; `port == 0` means refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnsweredMedia<'a> {
    /// Which offered `m=` line this answers (0-based).
    pub index: usize,
    /// Media type (audio, video).
    pub media: &'a str,
    /// Transport protocol (RTP/AVP).
    pub proto: &'a str,
    /// Our port (0: rejected).
    pub port: u16,
    /// Accepted formats in the offer's order (RFC 3264 §6.1), with its
    /// payload numbers.
    pub formats: Formats,
    /// For a refused stream: the offered format list, echoed back (RFC 3264 §6).
    pub refused_formats: &'a str,
    /// `Inactive` for refused streams.
    pub direction: Direction,
    /// Where to send RTP: the offer's effective `c=` and port; `None` when
    /// refused, held with a null address, or the address is not an IP.
    pub remote: Option<SocketAddr>,
}

/// Accepted `(payload type, codec)` pairs of one stream.
pub type Formats = SmallVec<[(u8, Codec); 4]>;

impl<'a> Answer<'a> {
    /// The first accepted stream (there is at most one).
    pub fn accepted(&self) -> Option<&AnsweredMedia<'a>> {
        self.media.iter().find(|m| m.port != 0)
    }
}

/// Why no answer could be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum NegotiateError {
    #[error("no common codec")]
    /// No codec in common (the caller answers 488).
    NoCommonCodec,
    /// The stream the answer would use has a malformed `c=` or known
    /// attribute at this offset of the body (the caller answers 400).
    #[error("malformed media description at byte {0}")]
    MalformedMedia(usize),
}

/// Answers `offer` with `local`'s codecs. Accepts the first plain-RTP audio
/// stream with a common voice codec and refuses everything else (SRTP, video,
/// extra audio streams): this engine relays one G.711 stream per call.
/// Only the accepted stream must be well-formed; what is wrong with a
/// declined one is not read.
pub fn negotiate<'a>(
    offer: &SessionDescription<'a>,
    local: &LocalMedia,
) -> Result<Answer<'a>, NegotiateError> {
    negotiate_with(offer, local, |m| m.is_plain_rtp())
}

/// [`negotiate`], with the caller judging each live audio stream's
/// transport (`RTP/AVP`, `RTP/SAVP` and its keys ...): the first stream
/// `usable` takes that has a common voice codec is accepted.
pub fn negotiate_with<'a>(
    offer: &SessionDescription<'a>,
    local: &LocalMedia,
    mut usable: impl FnMut(&MediaDescription<'a>) -> bool,
) -> Result<Answer<'a>, NegotiateError> {
    let mut media = SmallVec::new();
    let mut accepted = false;
    for (index, m) in offer.media.iter().enumerate() {
        let live_audio = m.is_audio() && m.port != 0;
        let formats = if accepted || !live_audio || !usable(m) {
            Formats::new()
        } else {
            common_codecs(m, &local.codecs)
        };
        if formats.is_empty() {
            media.push(refused(index, m));
            continue;
        }
        if let Some(at) = m.malformed {
            return Err(NegotiateError::MalformedMedia(at));
        }
        accepted = true;
        let null = m.effective_connection(offer).is_some_and(|c| c.is_null_hold());
        let mut direction = m.effective_direction(offer).answer();
        if null {
            // RFC 2543 hold: we cannot send to 0.0.0.0, so only receive.
            direction = direction.without_send();
        }
        let remote = if null {
            None
        } else {
            m.effective_connection(offer).and_then(|c| c.ip()).map(|ip| SocketAddr::new(ip, m.port))
        };
        media.push(AnsweredMedia {
            index,
            media: m.media,
            proto: m.proto,
            port: local.port,
            formats,
            refused_formats: "",
            direction,
            remote,
        });
    }
    if !accepted {
        return Err(NegotiateError::NoCommonCodec);
    }
    Ok(Answer { media, hold: hold_state(offer) })
}

fn refused<'a>(index: usize, m: &MediaDescription<'a>) -> AnsweredMedia<'a> {
    AnsweredMedia {
        index,
        media: m.media,
        proto: m.proto,
        port: 0,
        formats: Formats::new(),
        refused_formats: m.formats,
        direction: Direction::Inactive,
        remote: None,
    }
}

/// The offered voice codecs we have, in the offer's order (RFC 3264 §6.1
/// recommends it), each once; then telephone-event, and only when some
/// voice codec matched: the first listed format is the one the peer
/// sends, so it must be voice, and DTMF alone is no call.
fn common_codecs(m: &MediaDescription<'_>, local: &[Codec]) -> Formats {
    let mut out = Formats::new();
    // The section's rtpmaps, read once rather than once per lookup.
    let maps: SmallVec<[(u8, RtpMap<'_>); 8]> = m.rtpmaps().collect();
    let mut dtmf = None;
    for pt in m.payload_types() {
        match codec_of(pt, &maps) {
            Some(Codec::TelephoneEvent) => dtmf = dtmf.or(Some(pt)),
            Some(codec) if local.contains(&codec) && !out.iter().any(|&(_, c)| c == codec) => {
                out.push((pt, codec));
            }
            _ => {}
        }
    }
    if let Some(pt) = dtmf
        && !out.is_empty()
        && local.contains(&Codec::TelephoneEvent)
    {
        out.push((pt, Codec::TelephoneEvent));
    }
    out
}

/// The codec an offered payload type carries: by rtpmap when present
/// (name case-insensitive, 8 kHz, mono), else by static number.
fn codec_of(pt: u8, maps: &[(u8, RtpMap<'_>)]) -> Option<Codec> {
    match maps.iter().find(|(p, _)| *p == pt) {
        Some((_, map)) => [Codec::Pcmu, Codec::Pcma, Codec::TelephoneEvent].into_iter().find(|c| {
            map.encoding.eq_ignore_ascii_case(c.name())
                && map.clock_rate == c.clock_rate()
                && map.channels.is_none_or(|ch| ch == 1)
        }),
        None => [Codec::Pcmu, Codec::Pcma].into_iter().find(|c| c.static_pt() == Some(pt)),
    }
}
