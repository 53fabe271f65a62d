//! A caller on a real loopback UDP socket for the engine API tests: it
//! sends SIPp-like requests, reads what the engine sends back, answers
//! the engine's own requests, and owns an RTP socket for its media.
#![allow(dead_code)]

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use sipbench::sip::{HeaderName, Message};

/// One caller with one call.
pub struct UdpUac {
    pub sip: UdpSocket,
    pub rtp: UdpSocket,
    pub server: SocketAddr,
    pub call_id: String,
    pub from_tag: String,
    pub to_tag: Option<String>,
    pub cseq: u32,
    branches: u32,
    user: String,
}

impl UdpUac {
    /// A caller for `server`, calling `user` (the Request-URI user part).
    pub fn new(server: SocketAddr, user: &str) -> UdpUac {
        let sip = UdpSocket::bind("127.0.0.1:0").unwrap();
        let rtp = UdpSocket::bind("127.0.0.1:0").unwrap();
        sip.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
        rtp.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
        // Unique per caller: an ephemeral port comes back soon, and a
        // reused Call-ID + branch is (rightly) a retransmission.
        static CALLERS: AtomicU64 = AtomicU64::new(0);
        let n = CALLERS.fetch_add(1, Ordering::Relaxed);
        let port = sip.local_addr().unwrap().port();
        UdpUac {
            sip,
            rtp,
            server,
            call_id: format!("{n}-{port}-api@127.0.0.1"),
            from_tag: format!("tag{n}x{port}"),
            to_tag: None,
            cseq: 1,
            branches: 0,
            user: user.to_owned(),
        }
    }

    pub fn local(&self) -> SocketAddr {
        self.sip.local_addr().unwrap()
    }

    /// An SDP offer (or answer) naming our RTP socket.
    pub fn sdp(&self, direction: &str) -> String {
        let port = self.rtp.local_addr().unwrap().port();
        format!(
            "v=0\r\no=uac 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
             m=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n\
             a=fmtp:101 0-15\r\na={direction}\r\n"
        )
    }

    fn request(&mut self, method: &str, cseq: u32, branch: Option<String>, body: Option<&str>) -> String {
        self.request_with(method, cseq, branch, "", body.map(|b| ("application/sdp", b)))
    }

    /// A request with extra header lines (each ending CRLF) and a typed body.
    fn request_with(
        &mut self,
        method: &str,
        cseq: u32,
        branch: Option<String>,
        extra: &str,
        body: Option<(&str, &str)>,
    ) -> String {
        let branch = branch.unwrap_or_else(|| {
            self.branches += 1;
            format!("z9hG4bK-{}-{}", self.from_tag, self.branches)
        });
        let to_tag = self.to_tag.as_ref().map(|t| format!(";tag={t}")).unwrap_or_default();
        let local = self.local();
        let mut s = format!(
            "{method} sip:{}@{} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch={branch};rport\r\n\
             From: <sip:caller@{local}>;tag={}\r\nTo: <sip:{}@{}>{to_tag}\r\nCall-ID: {}\r\n\
             CSeq: {cseq} {method}\r\nContact: <sip:caller@{local}>\r\nMax-Forwards: 70\r\n{extra}",
            self.user, self.server, self.from_tag, self.user, self.server, self.call_id
        );
        match body {
            Some((t, b)) => s += &format!("Content-Type: {t}\r\nContent-Length: {}\r\n\r\n{b}", b.len()),
            None => s += "Content-Length: 0\r\n\r\n",
        }
        s
    }

    pub fn send(&self, text: &str) {
        self.sip.send_to(text.as_bytes(), self.server).unwrap();
    }

    /// Sends the INVITE with our offer.
    pub fn invite(&mut self) {
        let body = self.sdp("sendrecv");
        let branch = format!("z9hG4bK-inv-{}", self.from_tag);
        let r = self.request("INVITE", 1, Some(branch), Some(&body));
        self.send(&r);
    }

    /// Sends a new in-dialog request (ACK takes `cseq` 1 of the INVITE).
    pub fn in_dialog(&mut self, method: &str) {
        let cseq = if method == "ACK" {
            1
        } else {
            self.cseq += 1;
            self.cseq
        };
        let r = self.request(method, cseq, None, None);
        self.send(&r);
    }

    /// A new in-dialog request with extra header lines and a typed body.
    pub fn in_dialog_with(&mut self, method: &str, extra: &str, content_type: &str, body: &str) {
        self.cseq += 1;
        let r = self.request_with(method, self.cseq, None, extra, Some((content_type, body)));
        self.send(&r);
    }

    /// An in-dialog request with an explicit CSeq (to test ordering).
    pub fn in_dialog_cseq(&mut self, method: &str, cseq: u32) {
        let r = self.request(method, cseq, None, None);
        self.send(&r);
    }

    /// The INVITE with this SDP offer.
    pub fn invite_with_sdp(&mut self, body: &str) {
        let branch = format!("z9hG4bK-inv-{}", self.from_tag);
        let r = self.request("INVITE", 1, Some(branch), Some(body));
        self.send(&r);
    }

    /// The INVITE with our offer, but naming `contact` as our target (where
    /// the engine sends its in-dialog requests).
    pub fn invite_with_contact(&mut self, contact: &str) {
        let body = self.sdp("sendrecv");
        let branch = format!("z9hG4bK-inv-{}", self.from_tag);
        let ours = format!("Contact: <sip:caller@{}>", self.local());
        let r = self
            .request("INVITE", 1, Some(branch), Some(&body))
            .replace(&ours, &format!("Contact: <{contact}>"));
        self.send(&r);
    }

    /// An out-of-dialog request with a fresh Call-ID (OPTIONS, REGISTER).
    pub fn out_of_dialog(&mut self, method: &str) {
        let saved = std::mem::replace(&mut self.call_id, format!("{method}-{}", self.from_tag));
        let r = self.request(method, 1, None, None);
        self.call_id = saved;
        self.send(&r);
    }

    /// The next message from the engine within `limit`.
    pub fn recv(&mut self, limit: Duration) -> Option<Message> {
        let until = Instant::now() + limit;
        let mut buf = vec![0u8; 65_536];
        while Instant::now() < until {
            if let Ok((n, _)) = self.sip.recv_from(&mut buf) {
                let m = Message::parse(Bytes::copy_from_slice(&buf[..n])).unwrap();
                if !m.is_request()
                    && let Some(t) = m.to().ok().and_then(|t| t.tag().map(str::to_owned))
                {
                    self.to_tag = Some(t);
                }
                return Some(m);
            }
        }
        None
    }

    /// Waits for a response with `code`, skipping others (1xx).
    pub fn expect_status(&mut self, code: u16, limit: Duration) -> Message {
        let until = Instant::now() + limit;
        while let Some(m) = self.recv(until.saturating_duration_since(Instant::now())) {
            if m.status_code() == Some(code) {
                return m;
            }
        }
        panic!("no {code} within {limit:?}");
    }

    /// Waits for a request with `method`, skipping anything else.
    pub fn expect_request(&mut self, method: &str, limit: Duration) -> Message {
        let until = Instant::now() + limit;
        while let Some(m) = self.recv(until.saturating_duration_since(Instant::now())) {
            if m.is_request() && m.method_name() == method {
                return m;
            }
        }
        panic!("no {method} within {limit:?}");
    }

    /// Answers a request from the engine, with an optional SDP body.
    pub fn reply(&self, req: &Message, code: u16, sdp: Option<&str>) {
        let mut s = format!("SIP/2.0 {code} OK\r\n");
        for name in [HeaderName::Via, HeaderName::From, HeaderName::To, HeaderName::CallId, HeaderName::CSeq]
        {
            for v in req.header_values(name) {
                s += &format!("{}: {v}\r\n", name.as_str());
            }
        }
        match sdp {
            Some(b) => {
                s += &format!("Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{b}", b.len())
            }
            None => s += "Content-Length: 0\r\n\r\n",
        }
        self.sip.send_to(s.as_bytes(), self.server).unwrap();
    }

    /// Places a call and completes it to the ACK: 200 → ACK.
    pub fn call_answered(&mut self, limit: Duration) -> Message {
        self.invite();
        let ok = self.expect_status(200, limit);
        self.in_dialog("ACK");
        ok
    }

    /// The engine's RTP address from an SDP answer.
    pub fn media_addr(ok: &Message) -> SocketAddr {
        let body = std::str::from_utf8(ok.body()).unwrap();
        let port: u16 = body
            .lines()
            .find_map(|l| l.strip_prefix("m=audio "))
            .and_then(|l| l.split(' ').next())
            .and_then(|p| p.parse().ok())
            .expect("m=audio port");
        SocketAddr::new([127, 0, 0, 1].into(), port)
    }
}
