//! Offer/answer (RFC 3264) for a call's media: our answer to an INVITE's
//! offer (or our offer when the INVITE has none), our offers for calls we
//! place and re-INVITEs, and what the peer's answer settled: port, peer
//! address, codec, DTMF, hold.

use std::net::SocketAddr;

use bytes::{Bytes, BytesMut};

use crate::core::CoreConfig;
use crate::sip::sdp::{self, Codec, Direction, HoldState, LocalMedia};
use crate::sip::{Message, Transport};

/// The telephone-event payload type of our own offers (sdp::write_offer).
const OUR_DTMF_PT: u8 = 101;

/// An SDP body to send and what it settled.
#[derive(Debug)]
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
}

/// Our media parameters, the buffer our SDP is written into, and our
/// Contact (written beside each offer and answer).
#[derive(Debug)]
pub(crate) struct OfferAnswer {
    local: LocalMedia,
    buf: BytesMut,
    /// Our Contact URI on each transport (`Transport::index`).
    contacts: [String; 3],
}

impl OfferAnswer {
    pub(crate) fn new(cfg: &CoreConfig) -> Self {
        let local = LocalMedia {
            codecs: cfg.codecs.clone(),
            address: cfg.media_addr,
            port: 0,
            session_id: u64::from(cfg.shard) + 1,
            session_version: 1,
            username: "sipbench".to_string(),
            ptime: Some(20),
        };
        let contacts = Transport::ALL.map(|t| contact(cfg, t));
        OfferAnswer { local, buf: BytesMut::with_capacity(2048), contacts }
    }

    /// Our Contact URI for messages over `t`.
    pub(crate) fn contact_for(&self, t: Transport) -> &str {
        &self.contacts[t.index()]
    }

    /// Our SDP for a request's body: an answer to its offer, or an offer
    /// when it has none. Errors are the status to reply with.
    pub(crate) fn answer_offer(
        &mut self,
        req: &Message,
        port: u16,
        version: u64,
    ) -> Result<SdpAnswer, (u16, &'static str)> {
        self.local.port = port;
        self.local.session_version = version;
        let body = req.body();
        if body.is_empty() {
            sdp::write_offer(&self.local, Direction::SendRecv, &mut self.buf);
            let body = self.buf.split().freeze();
            let dtmf_pt = self.local.codecs.contains(&Codec::TelephoneEvent).then_some(OUR_DTMF_PT);
            return Ok(SdpAnswer {
                body,
                port: Some(port),
                held: false,
                remote: None,
                payload_type: 0,
                dtmf_pt,
            });
        }
        let is_sdp = req.content_type().is_some_and(|ct| ct.value.eq_ignore_ascii_case("application/sdp"));
        if !is_sdp {
            return Err((415, "Unsupported Media Type"));
        }
        // Matched in place, so the parsed offer (with its inline media
        // list) is not moved again.
        let offer = sdp::parse(body);
        let Ok(offer) = &offer else { return Err((400, "Bad Request - Malformed SDP")) };
        let answer = sdp::negotiate(offer, &self.local);
        let answer = match &answer {
            Ok(a) => a,
            Err(sdp::NegotiateError::NoCommonCodec) => return Err((488, "Not Acceptable Here")),
            Err(sdp::NegotiateError::MalformedMedia(_)) => return Err((400, "Bad Request - Malformed SDP")),
        };
        sdp::write_answer(answer, &self.local, &mut self.buf);
        Ok(settle(answer, self.buf.split().freeze(), port))
    }

    /// What the SDP answer to our offer settled (None: no usable SDP).
    pub(crate) fn read_answer(&self, resp: &Message, port: u16) -> Option<SdpAnswer> {
        let is_sdp = resp.content_type().is_some_and(|ct| ct.value.eq_ignore_ascii_case("application/sdp"));
        if !is_sdp || resp.body().is_empty() {
            return None;
        }
        let answer = sdp::parse(resp.body()).ok()?;
        let settled = sdp::negotiate(&answer, &self.local).ok()?;
        Some(settle(&settled, Bytes::new(), port))
    }

    /// An offer for our own re-INVITE (hold: sendonly, resume: sendrecv).
    pub(crate) fn offer(&mut self, port: u16, version: u64, hold: bool) -> Bytes {
        self.local.port = port;
        self.local.session_version = version;
        let dir = if hold { Direction::SendOnly } else { Direction::SendRecv };
        sdp::write_offer(&self.local, dir, &mut self.buf);
        self.buf.split().freeze()
    }
}

/// The stream both sides settled on: port, peer address, codecs, hold.
fn settle(answer: &sdp::Answer<'_>, body: Bytes, port: u16) -> SdpAnswer {
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
    }
}

/// Our Contact on transport `t`: `sip:` with `;transport=tcp` over TCP,
/// `sips:` over TLS (RFC 3261 §8.1.1.8), at that transport's listener.
fn contact(cfg: &CoreConfig, t: Transport) -> String {
    let host = match (&cfg.contact_host, cfg.local_for(t)) {
        (Some(h), a) => format!("{h}:{}", a.port()),
        (None, SocketAddr::V4(a)) => a.to_string(),
        (None, SocketAddr::V6(a)) => format!("[{}]:{}", a.ip(), a.port()),
    };
    match t {
        Transport::Udp => format!("sip:sipbench@{host}"),
        Transport::Tcp => format!("sip:sipbench@{host};transport=tcp"),
        Transport::Tls => format!("sips:sipbench@{host}"),
    }
}
