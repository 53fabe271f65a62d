//! Instruction counts (valgrind's callgrind) of a whole UAS call without
//! and with digest authentication, through one `ShardCore`: the core's
//! work is counted inside `#[inline(never)]` `probe_*` wrappers
//! (`--toggle-collect`), so the caller's part (building datagrams,
//! reading the 401, computing its credentials) is left out.
//! `scripts/auth-cpu.sh` runs it and prints the counts per call.
//!
//!   auth_probe plain N        N calls: INVITE → 200, ACK, BYE → 200
//!   auth_probe md5|sha-256 N  N calls: INVITE → 401, ACK, INVITE with
//!                             credentials → 200, ACK, BYE → 200
use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use sipbench::core::{AuthConfig, CoreConfig, NonceKey, Outbox, ShardCore, UserTable};
use sipbench::sip::digest::{Challenge, DigestAlgorithm};
use sipbench::sip::{HeaderName, Message};

const SDP: &str = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
const URI: &str = "sip:service@127.0.0.1:5060";

fn head(i: u64, method: &str, branch: &str, cseq: u32, to: &str) -> String {
    format!(
        "{method} {URI} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-{branch}-{i}\r\n\
From: sipp <sip:sipp@127.0.0.1:5061>;tag={i}SIPpTag00\r\nTo: service <sip:service@127.0.0.1:5060>{to}\r\n\
Call-ID: {i}-bench@127.0.0.1\r\nCSeq: {cseq} {method}\r\nContact: sip:sipp@127.0.0.1:5061\r\nMax-Forwards: 70\r\n\
Subject: Performance Test\r\n"
    )
}

fn invite(i: u64, branch: &str, cseq: u32, extra: &str) -> Bytes {
    Bytes::from(format!(
        "{}{extra}Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{SDP}",
        head(i, "INVITE", branch, cseq, ""),
        SDP.len()
    ))
}

#[inline(never)]
fn probe_feed(core: &mut ShardCore, now: Instant, from: SocketAddr, data: Bytes, out: &mut Outbox) {
    core.on_datagram(now, from, data, out);
}

#[inline(never)]
fn probe_timers(core: &mut ShardCore, now: Instant, out: &mut Outbox) {
    core.on_timers(now, out);
}

/// The response with `code` among what the core sent, cleared.
fn take_response(out: &mut Outbox, code: u16) -> Message {
    let m = out
        .transmits
        .iter()
        .map(|t| Message::parse(t.data.clone()).unwrap())
        .find(|m| m.status_code() == Some(code))
        .unwrap_or_else(|| panic!("no {code}"));
    out.clear();
    m
}

fn to_tag(m: &Message) -> String {
    m.header(HeaderName::To).unwrap().split(";tag=").nth(1).unwrap().to_string()
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "plain".into());
    let n: u64 = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let alg = (mode != "plain").then(|| DigestAlgorithm::from_name(&mode).expect("plain, md5 or sha-256"));
    let from: SocketAddr = "127.0.0.1:5061".parse().unwrap();
    let epoch = Instant::now();
    let mut now = epoch;
    let auth = alg.map(|a| {
        let users = UserTable::parse("alice:secret", "sipbench.test").unwrap();
        let mut cfg = AuthConfig::new("sipbench.test", Arc::new(users));
        cfg.algorithms = vec![a];
        cfg.key = NonceKey::from_bytes([9; 16]);
        cfg
    });
    let cfg = CoreConfig { events: false, auth, ..CoreConfig::default() };
    let mut core = ShardCore::new(cfg, epoch);
    let mut out = Outbox::default();
    for i in 0..n {
        let mut cseq = 1;
        probe_feed(&mut core, now, from, invite(i, "inv", 1, ""), &mut out);
        if alg.is_some() {
            let challenge = take_response(&mut out, 401);
            let t = format!(";tag={}", to_tag(&challenge));
            let ack = Bytes::from(format!("{}Content-Length: 0\r\n\r\n", head(i, "ACK", "inv", 1, &t)));
            probe_feed(&mut core, now, from, ack, &mut out);
            let value = challenge.header(HeaderName::WwwAuthenticate).unwrap();
            let creds =
                Challenge::parse(value).unwrap().answer("alice", "secret", "INVITE", URI, "c0ffee", 1);
            cseq = 2;
            let extra = format!("Authorization: {creds}\r\n");
            probe_feed(&mut core, now, from, invite(i, "inv2", 2, &extra), &mut out);
        }
        let ok = take_response(&mut out, 200);
        let t = format!(";tag={}", to_tag(&ok));
        let ack = Bytes::from(format!("{}Content-Length: 0\r\n\r\n", head(i, "ACK", "ack", cseq, &t)));
        let bye = Bytes::from(format!("{}Content-Length: 0\r\n\r\n", head(i, "BYE", "bye", cseq + 1, &t)));
        probe_feed(&mut core, now, from, ack, &mut out);
        probe_feed(&mut core, now, from, bye, &mut out);
        out.clear();
        if i % 1024 == 1023 {
            now += Duration::from_secs(40);
            probe_timers(&mut core, now, &mut out);
            out.clear();
        }
    }
    now += Duration::from_secs(40);
    probe_timers(&mut core, now, &mut out);
    assert_eq!(black_box(core.stats().calls_completed), n);
    assert_eq!(core.stats().auth.accepted, if alg.is_some() { n } else { 0 });
}
