//! Offer/answer (RFC 3264) for a call's media: our answer to an INVITE's
//! offer (or our offer when the INVITE has none), our offers for calls we
//! place and re-INVITEs, and what the peer's answer settled: port, peer
//! address, codec, DTMF, hold, SRTP keys.

use std::net::SocketAddr;

use bytes::{Bytes, BytesMut};

use super::key_minter::KeyMinter;
use super::sdp_answer::{SdpAnswer, settle};
use super::secure::{answer_keys, answered_keys, write_crypto_line};
use super::srtp_policy::SrtpPolicy;
use crate::core::CoreConfig;
use crate::media::{CryptoAttribute, SrtpKeys, SrtpSuite};
use crate::sip::sdp::{self, Codec, Direction, LocalMedia};
use crate::sip::{Message, Transport};

/// The telephone-event payload type of our own offers (sdp::write_offer).
const OUR_DTMF_PT: u8 = 101;

/// Our media parameters, the buffer our SDP is written into, and our
/// Contact (written beside each offer and answer).
#[derive(Debug)]
pub(crate) struct OfferAnswer {
    local: LocalMedia,
    buf: BytesMut,
    /// Our Contact URI on each transport (`Transport::index`).
    contacts: [String; 3],
    srtp: SrtpPolicy,
    keys: KeyMinter,
    /// Our `a=crypto` lines for the SDP being written.
    crypto: BytesMut,
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
        OfferAnswer {
            local,
            buf: BytesMut::with_capacity(2048),
            contacts,
            srtp: cfg.srtp,
            keys: KeyMinter::new(cfg.shard, &cfg.srtp_key),
            crypto: BytesMut::with_capacity(256),
        }
    }

    /// Our Contact URI for messages over `t`.
    pub(crate) fn contact_for(&self, t: Transport) -> &str {
        &self.contacts[t.index()]
    }

    /// Our SDP for a request's body: an answer to its offer, or an offer
    /// when it has none (plain: the answer in the ACK is not read, so no
    /// keys could be settled; with SRTP mandatory that is a 488).
    /// `current`: the call's SRTP keys now. Errors are the status to reply
    /// with: 488 when the policy refuses every stream.
    pub(crate) fn answer_offer(
        &mut self,
        req: &Message,
        port: u16,
        version: u64,
        current: Option<&SrtpKeys>,
    ) -> Result<SdpAnswer, (u16, &'static str)> {
        self.local.port = port;
        self.local.session_version = version;
        let body = req.body();
        if body.is_empty() {
            if self.srtp == SrtpPolicy::Mandatory {
                return Err((488, "Not Acceptable Here"));
            }
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
                // The answer comes in the ACK, which is not read: the
                // keys in use stay.
                srtp: current.cloned().map(Box::new),
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
        let policy = self.srtp;
        let answer = sdp::negotiate_with(offer, &self.local, |m| policy.accepts(m));
        let answer = match &answer {
            Ok(a) => a,
            Err(sdp::NegotiateError::NoCommonCodec) => return Err((488, "Not Acceptable Here")),
            Err(sdp::NegotiateError::MalformedMedia(_)) => return Err((400, "Bad Request - Malformed SDP")),
        };
        let stream = answer.accepted().and_then(|a| offer.media.get(a.index));
        let srtp = match stream.filter(|m| m.is_secure_rtp()) {
            Some(m) => match answer_keys(m, current, &mut self.keys, &mut self.crypto) {
                Some(keys) => Some(Box::new(keys)),
                None => return Err((488, "Not Acceptable Here")),
            },
            None => None,
        };
        sdp::write_answer_with(answer, &self.local, &self.crypto, &mut self.buf);
        self.wipe_crypto();
        Ok(SdpAnswer { srtp, ..settle(answer, self.buf.split().freeze(), port) })
    }

    /// What the SDP answer to our offer settled (None: no usable SDP).
    /// When we `offered` keys, only an `RTP/SAVP` stream keyed under one
    /// of our tags is usable.
    pub(crate) fn read_answer(
        &self,
        resp: &Message,
        port: u16,
        offered: &[CryptoAttribute],
    ) -> Option<SdpAnswer> {
        let is_sdp = resp.content_type().is_some_and(|ct| ct.value.eq_ignore_ascii_case("application/sdp"));
        if !is_sdp || resp.body().is_empty() {
            return None;
        }
        let answer = sdp::parse(resp.body()).ok()?;
        let settled = sdp::negotiate_with(&answer, &self.local, |m| match offered {
            [] => m.is_plain_rtp(),
            _ => m.is_secure_rtp() && answered_keys(m, offered).is_some(),
        })
        .ok()?;
        let srtp = match offered {
            [] => None,
            _ => Some(Box::new(answered_keys(answer.media.get(settled.accepted()?.index)?, offered)?)),
        };
        Some(SdpAnswer { srtp, ..settle(&settled, Bytes::new(), port) })
    }

    /// The `a=crypto` attributes our next offer carries, fresh keys each:
    /// the call's suite while it is encrypted, else every suite we speak
    /// when the policy wants keys, else none.
    pub(crate) fn offer_keys(&mut self, current: Option<SrtpSuite>) -> Vec<CryptoAttribute> {
        let suites: &[SrtpSuite] = match current {
            Some(ref s) => std::slice::from_ref(s),
            None if self.srtp.offers_keys() => &SrtpSuite::ALL,
            None => &[],
        };
        (1..).zip(suites).filter_map(|(tag, &suite)| self.keys.attribute(tag, suite)).collect()
    }

    /// An offer (hold: sendonly, else sendrecv), on `RTP/SAVP` with
    /// `crypto` when there are keys.
    pub(crate) fn offer(&mut self, port: u16, version: u64, hold: bool, crypto: &[CryptoAttribute]) -> Bytes {
        self.local.port = port;
        self.local.session_version = version;
        let dir = if hold { Direction::SendOnly } else { Direction::SendRecv };
        for attr in crypto {
            write_crypto_line(attr, &mut self.crypto);
        }
        let proto = if crypto.is_empty() { "RTP/AVP" } else { "RTP/SAVP" };
        sdp::write_offer_with(&self.local, dir, proto, &self.crypto, &mut self.buf);
        self.wipe_crypto();
        self.buf.split().freeze()
    }

    /// Our `a=crypto` lines are written: no key stays in the scratch
    /// buffer (kept, not split off: a split would cost an allocation).
    fn wipe_crypto(&mut self) {
        self.crypto.fill(0);
        self.crypto.clear();
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
