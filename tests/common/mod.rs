//! Shared helpers for the `ShardCore` scenario tests: SIPp-like UAC
//! datagrams, a harness that owns the core and a simulated clock (an
//! `Instant` advanced by hand, never slept on), and message summaries.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use sipbench::core::{
    Applied, CallHandle, Command, CommandError, CoreConfig, EventKind, MediaCommand, MessageKind, Outbox,
    ShardCore,
};
use sipbench::dialog::CallPolicy;
use sipbench::sip::{HeaderName, Message};

pub mod api;
pub mod certs;
pub mod identifiers;
pub mod pair;
pub mod sim;
pub mod sipp_run;
pub mod transferee;
pub mod udp_uac;

/// Whether this process may load BPF programs (CAP_BPF or CAP_SYS_ADMIN
/// in its effective set): the kernel-steering tests check steering where
/// it may and the hand-off that replaces it where it may not.
pub fn may_load_bpf() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let caps = status.lines().find_map(|l| l.strip_prefix("CapEff:")).map(str::trim);
    let caps = caps.and_then(|c| u64::from_str_radix(c, 16).ok()).unwrap_or(0);
    caps & (1 << 39 | 1 << 21) != 0
}

/// Where the simulated UAC sends from (SIPp's default).
pub fn uac_addr() -> SocketAddr {
    "127.0.0.1:5061".parse().unwrap()
}

/// An SDP offer with these `(payload type, rtpmap)` pairs and an optional
/// direction attribute.
pub fn sdp(codecs: &[(u8, &str)], dir: Option<&str>) -> String {
    let pts: Vec<String> = codecs.iter().map(|(pt, _)| pt.to_string()).collect();
    let mut s = format!(
        "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
         m=audio 6000 RTP/AVP {}\r\n",
        pts.join(" ")
    );
    for (pt, map) in codecs {
        s += &format!("a=rtpmap:{pt} {map}\r\n");
    }
    if let Some(d) = dir {
        s += &format!("a={d}\r\n");
    }
    s
}

/// SIPp's uac offer: PCMU only.
pub fn pcmu_offer() -> String {
    sdp(&[(0, "PCMU/8000")], None)
}

/// The UAC end of one call: Call-ID, tags, CSeq and branch counter.
#[derive(Debug, Clone)]
pub struct UacCall {
    pub call_id: String,
    pub from_tag: String,
    /// The server's tag, once a response carried it.
    pub to_tag: Option<String>,
    pub cseq: u32,
    pub invite_branch: String,
    branches: u32,
}

impl UacCall {
    pub fn new(i: u64) -> UacCall {
        UacCall {
            call_id: format!("{i}-test@127.0.0.1"),
            from_tag: format!("{i}SIPpTag00"),
            to_tag: None,
            cseq: 1,
            invite_branch: format!("z9hG4bK-inv-{i}"),
            branches: 0,
        }
    }

    /// A fresh branch for a new transaction.
    pub fn new_branch(&mut self) -> String {
        self.branches += 1;
        format!("z9hG4bK-{}-{}", self.from_tag, self.branches)
    }

    /// Any request; `extra` is extra header lines (each ending in CRLF).
    pub fn request(
        &self,
        method: &str,
        branch: &str,
        cseq: u32,
        extra: &str,
        body: Option<(&str, &str)>,
    ) -> Bytes {
        let to_tag = match (&self.to_tag, method) {
            (_, "INVITE" | "CANCEL") if cseq == 1 => String::new(),
            (Some(t), _) => format!(";tag={t}"),
            (None, _) => String::new(),
        };
        let mut s = format!(
            "{method} sip:service@127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch={branch}\r\n\
             From: sipp <sip:sipp@127.0.0.1:5061>;tag={}\r\nTo: service <sip:service@127.0.0.1:5060>{to_tag}\r\n\
             Call-ID: {}\r\nCSeq: {cseq} {method}\r\nContact: sip:sipp@127.0.0.1:5061\r\nMax-Forwards: 70\r\n\
             Subject: Performance Test\r\n{extra}",
            self.from_tag, self.call_id
        );
        match body {
            Some((ct, b)) => s += &format!("Content-Type: {ct}\r\nContent-Length: {}\r\n\r\n{b}", b.len()),
            None => s += "Content-Length: 0\r\n\r\n",
        }
        Bytes::from(s)
    }

    /// The initial INVITE with a PCMU offer.
    pub fn invite(&self) -> Bytes {
        self.invite_with("", Some(("application/sdp", &pcmu_offer())))
    }

    pub fn invite_with(&self, extra: &str, body: Option<(&str, &str)>) -> Bytes {
        self.request("INVITE", &self.invite_branch, 1, extra, body)
    }

    /// CANCEL of the initial INVITE (same branch, §9.1).
    pub fn cancel(&self) -> Bytes {
        self.request("CANCEL", &self.invite_branch, 1, "", None)
    }

    /// ACK for a non-2xx final: same branch as the INVITE, To with the tag.
    pub fn ack_non2xx(&self) -> Bytes {
        self.request("ACK", &self.invite_branch, 1, "", None)
    }

    /// ACK for a 2xx to the INVITE with CSeq `cseq`: a new transaction.
    pub fn ack_2xx(&mut self, cseq: u32) -> Bytes {
        let b = self.new_branch();
        self.request("ACK", &b, cseq, "", None)
    }

    /// A new in-dialog request taking the next CSeq.
    pub fn in_dialog(&mut self, method: &str, body: Option<(&str, &str)>) -> Bytes {
        self.cseq += 1;
        let b = self.new_branch();
        self.request(method, &b, self.cseq, "", body)
    }

    /// Learns the server's tag from a response.
    pub fn learn_tag(&mut self, resp: &Message) {
        if let Some(tag) = resp.to().ok().and_then(|t| t.tag().map(str::to_owned)) {
            self.to_tag = Some(tag);
        }
    }
}

/// A response from the UAC to a request the server sent (copies Via,
/// From, To, Call-ID and CSeq).
pub fn respond(req: &Message, code: u16, reason: &str) -> Bytes {
    respond_with(req, code, reason, None)
}

/// As `respond`, with a body `(content type, text)`.
pub fn respond_with(req: &Message, code: u16, reason: &str, body: Option<(&str, &str)>) -> Bytes {
    let mut s = format!("SIP/2.0 {code} {reason}\r\n");
    for v in req.header_values(HeaderName::Via) {
        s += &format!("Via: {v}\r\n");
    }
    for (name, h) in [("From", HeaderName::From), ("To", HeaderName::To), ("Call-ID", HeaderName::CallId)] {
        s += &format!("{name}: {}\r\n", req.header(h).unwrap());
    }
    s += &format!("CSeq: {}\r\n", req.header(HeaderName::CSeq).unwrap());
    match body {
        Some((ct, b)) => s += &format!("Content-Type: {ct}\r\nContent-Length: {}\r\n\r\n{b}", b.len()),
        None => s += "Content-Length: 0\r\n\r\n",
    }
    Bytes::from(s)
}

/// A far end's response to a request we sent: Via, From, Call-ID, CSeq
/// copied, To with `tag`, extra header lines, an SDP body.
pub fn reply(req: &Message, code: u16, tag: Option<&str>, extra: &str, sdp: Option<&str>) -> Bytes {
    let mut s = format!("SIP/2.0 {code} X\r\n");
    for v in req.header_values(HeaderName::Via) {
        s += &format!("Via: {v}\r\n");
    }
    let to = req.header(HeaderName::To).unwrap();
    let to = match tag {
        Some(t) => format!("{to};tag={t}"),
        None => to.to_string(),
    };
    s += &format!("From: {}\r\nTo: {to}\r\n", req.header(HeaderName::From).unwrap());
    s += &format!("Call-ID: {}\r\nCSeq: {}\r\n{extra}", req.call_id(), req.header(HeaderName::CSeq).unwrap());
    match sdp {
        Some(b) => s += &format!("Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{b}", b.len()),
        None => s += "Content-Length: 0\r\n\r\n",
    }
    Bytes::from(s)
}

/// "200 INVITE" for a response (code and CSeq method), the method for a request.
pub fn label(m: &Message) -> String {
    match m.status_code() {
        Some(code) => format!("{code} {}", m.cseq().map(|c| c.method_name).unwrap_or("?")),
        None => m.method_name().to_string(),
    }
}

pub fn labels(ms: &[Message]) -> Vec<String> {
    ms.iter().map(label).collect()
}

/// A header by raw name (any header, known or not).
pub fn hdr<'a>(m: &'a Message, name: &str) -> Option<&'a str> {
    m.header_by_name(name)
}

/// Parses what the core sent. Strictly, except a 400 or a 505, which
/// answer a malformed request and copy what it has (a header it
/// complains about, or none where it had none).
pub fn parse_sent(data: Bytes) -> Message {
    Message::parse(data.clone())
        .or_else(|e| {
            let lax = Message::parse_unvalidated(data, &Default::default()).ok();
            lax.filter(|m| matches!(m.status_code(), Some(400 | 505))).ok_or(e)
        })
        .expect("core sent garbage")
}

/// Parses what the core sent and checks that the transmit said what it is.
pub fn check_kind(t: &sipbench::core::Transmit) -> Message {
    let m = parse_sent(t.data.clone());
    let kind = match m.status_code() {
        Some(code) => MessageKind::Response(code),
        None => MessageKind::Request(m.method()),
    };
    assert_eq!(t.kind, kind, "the transmit mislabels {}", label(&m));
    m
}

/// The core plus a simulated clock; collects events and media commands.
pub struct Harness {
    pub core: ShardCore,
    pub epoch: Instant,
    pub now: Instant,
    pub out: Outbox,
    pub events: Vec<EventKind>,
    pub media: Vec<MediaCommand>,
    /// Every event with its handle, in order.
    pub handles: Vec<CallHandle>,
}

impl Harness {
    pub fn new(cfg: CoreConfig) -> Harness {
        let epoch = Instant::now();
        Harness {
            core: ShardCore::new(cfg, epoch),
            epoch,
            now: epoch,
            out: Outbox::default(),
            events: Vec::new(),
            media: Vec::new(),
            handles: Vec::new(),
        }
    }

    pub fn with_policy(policy: CallPolicy) -> Harness {
        Harness::new(CoreConfig { policy, ..CoreConfig::default() })
    }

    /// Simulated time since the epoch.
    pub fn elapsed(&self) -> Duration {
        self.now - self.epoch
    }

    /// Parses and clears what the last step produced.
    pub fn collect(&mut self) -> Vec<Message> {
        for e in self.out.events.drain(..) {
            self.handles.push(e.call);
            self.events.push(e.kind);
        }
        self.media.append(&mut self.out.media);
        let msgs = self.out.transmits.iter().map(check_kind).collect();
        self.out.transmits.clear();
        msgs
    }

    /// A datagram from the UAC at the current instant; returns what went out.
    pub fn send(&mut self, data: Bytes) -> Vec<Message> {
        self.core.on_datagram(self.now, uac_addr(), data, &mut self.out);
        self.collect()
    }

    /// A datagram from another address at the current instant.
    pub fn send_from(&mut self, from: SocketAddr, data: Bytes) -> Vec<Message> {
        self.core.on_datagram(self.now, from, data, &mut self.out);
        self.collect()
    }

    pub fn command(&mut self, cmd: Command) -> Result<Vec<Message>, CommandError> {
        let applied = self.core.on_command(self.now, cmd, &mut self.out)?;
        assert!(matches!(applied, Applied::Done), "{applied:?}");
        Ok(self.collect())
    }

    /// Places a call (UAC role); returns its handle and what went out.
    pub fn place(&mut self, call: &sipbench::core::OutgoingCall) -> (CallHandle, Vec<Message>) {
        let cmd = Command::Place(std::sync::Arc::new(call.clone()));
        let Ok(Applied::Placed(h)) = self.core.on_command(self.now, cmd, &mut self.out) else {
            panic!("place")
        };
        (h, self.collect())
    }

    /// Runs timers up to `now + d`, stepping through `next_deadline`;
    /// every datagram comes stamped with the instant it went out.
    pub fn advance(&mut self, d: Duration) -> Vec<(Duration, Message)> {
        let target = self.now + d;
        let mut sent = Vec::new();
        let mut steps = 0;
        while let Some(t) = self.core.next_deadline().filter(|&t| t <= target) {
            steps += 1;
            assert!(steps < 1_000_000, "next_deadline stuck at {:?}", t - self.epoch);
            self.now = self.now.max(t);
            self.core.on_timers(self.now, &mut self.out);
            let at = self.elapsed();
            sent.extend(self.collect().into_iter().map(|m| (at, m)));
        }
        self.now = target;
        self.core.on_timers(self.now, &mut self.out);
        let at = self.elapsed();
        sent.extend(self.collect().into_iter().map(|m| (at, m)));
        sent
    }

    /// Advances to the next instant at which datagrams go out (at most
    /// `limit` ahead) and returns them.
    pub fn next_send(&mut self, limit: Duration) -> Option<(Duration, Vec<Message>)> {
        let end = self.now + limit;
        while let Some(t) = self.core.next_deadline().filter(|&t| t <= end) {
            self.now = self.now.max(t);
            self.core.on_timers(self.now, &mut self.out);
            let msgs = self.collect();
            if !msgs.is_empty() {
                return Some((self.elapsed(), msgs));
            }
        }
        None
    }

    /// The end-of-scenario check: 40 s later nothing is left.
    pub fn drain(&mut self) {
        self.advance(Duration::from_secs(40));
        let sizes = self.core.table_sizes();
        assert!(sizes.is_empty(), "leaked state after 40 s: {sizes:?}");
        assert_eq!(self.core.next_deadline(), None, "a timer is still armed");
        assert_eq!(self.core.stats().active_calls, 0);
    }

    /// Events so far, cleared.
    pub fn take_events(&mut self) -> Vec<EventKind> {
        self.handles.clear();
        std::mem::take(&mut self.events)
    }
}

/// Milliseconds as a `Duration` (timer instants read better this way).
pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The only message with this label, panicking with context otherwise.
pub fn only<'a>(ms: &'a [Message], what: &str) -> &'a Message {
    let found: Vec<&Message> = ms.iter().filter(|m| label(m) == what).collect();
    assert_eq!(found.len(), 1, "want one {what}, got {:?}", labels(ms));
    found[0]
}
