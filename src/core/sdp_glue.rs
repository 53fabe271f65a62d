//! The core's use of SDP: answer the INVITE's offer (or make an offer
//! when the INVITE has none), hand out RTP ports, tell hold from resume.

use std::net::SocketAddr;

use bytes::{Bytes, BytesMut};

use super::CoreConfig;
use crate::sip::Message;
use crate::sip::sdp::{self, Codec, Direction, HoldState, LocalMedia};

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
}

/// Local media parameters plus the port cursor.
#[derive(Debug)]
pub(crate) struct SdpAnswerer {
    local: LocalMedia,
    ports: (u16, u16),
    next_port: u16,
    buf: BytesMut,
    /// Our Contact URI.
    pub contact: String,
}

impl SdpAnswerer {
    pub(crate) fn new(cfg: &CoreConfig) -> Self {
        let local = LocalMedia {
            codecs: vec![Codec::Pcmu, Codec::Pcma, Codec::TelephoneEvent],
            address: cfg.media_addr,
            port: 0,
            session_id: u64::from(cfg.shard) + 1,
            session_version: 1,
            username: "sipbench".to_string(),
            ptime: Some(20),
        };
        let (start, end) = cfg.rtp_ports;
        let start = start + start % 2;
        let host = match cfg.local {
            SocketAddr::V4(a) => a.to_string(),
            SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
        };
        SdpAnswerer {
            local,
            ports: (start, end.max(start + 2)),
            next_port: start,
            buf: BytesMut::with_capacity(2048),
            contact: format!("sip:sipbench@{host}"),
        }
    }

    /// The next even RTP port of the range, in turn. (The RTP relay pool
    /// owns real sockets; without media this only names the port.)
    pub(crate) fn allocate_port(&mut self) -> u16 {
        let p = self.next_port;
        self.next_port = if p + 2 >= self.ports.1 { self.ports.0 } else { p + 2 };
        p
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
            return Ok(SdpAnswer { body, port: Some(port), held: false, remote: None });
        }
        let is_sdp = req.content_type().is_some_and(|ct| ct.value.eq_ignore_ascii_case("application/sdp"));
        if !is_sdp {
            return Err((415, "Unsupported Media Type"));
        }
        let offer = sdp::parse(body).map_err(|_| (400, "Bad Request - Malformed SDP"))?;
        let answer = sdp::negotiate(&offer, &self.local).map_err(|_| (488, "Not Acceptable Here"))?;
        sdp::write_answer(&answer, &self.local, &mut self.buf);
        let accepted = answer.accepted();
        Ok(SdpAnswer {
            body: self.buf.split().freeze(),
            port: accepted.map(|_| port),
            held: answer.hold == HoldState::Held,
            remote: accepted.and_then(|m| m.remote),
        })
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
