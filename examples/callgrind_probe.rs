//! Instruction counts (valgrind's callgrind) of the parse bench's
//! INVITE / 200 / ACK parses and of the call bench's whole UAS call, each
//! counted inside an `#[inline(never)]` wrapper (`--toggle-collect`), so
//! the probe's own work (building datagrams, reading the To tag from the
//! 200) is left out. Deterministic where timings are noisy: the same file
//! dropped into another tree compares two commits. `perf/profile.sh
//! instructions` builds it and prints the counts per iteration.
//!
//!   callgrind_probe call N    N whole calls (timers every 1,024 calls)
//!   callgrind_probe parse N   N parses of each of the three messages
use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use sipbench::core::{CoreConfig, Outbox, ShardCore};
use sipbench::sip::{HeaderName, Message};

const INVITE: &[u8] = include_bytes!("../tests/data/sipp_invite.sip");
const OK_200: &[u8] = include_bytes!("../tests/data/sipp_200.sip");
const ACK: &[u8] = include_bytes!("../tests/data/sipp_ack.sip");
const SDP: &str = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

fn head(i: u64, method: &str, branch: &str, cseq: u32, to: &str) -> String {
    format!(
        "{method} sip:service@127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-{branch}-{i}\r\n\
From: sipp <sip:sipp@127.0.0.1:5061>;tag={i}SIPpTag00\r\nTo: service <sip:service@127.0.0.1:5060>{to}\r\n\
Call-ID: {i}-bench@127.0.0.1\r\nCSeq: {cseq} {method}\r\nContact: sip:sipp@127.0.0.1:5061\r\nMax-Forwards: 70\r\n\
Subject: Performance Test\r\n"
    )
}

#[inline(never)]
fn probe_parse(b: Bytes) -> bool {
    Message::parse(b).is_ok()
}

#[inline(never)]
fn probe_feed(core: &mut ShardCore, now: Instant, from: SocketAddr, data: Bytes, out: &mut Outbox) {
    core.on_datagram(now, from, data, out);
}

#[inline(never)]
fn probe_timers(core: &mut ShardCore, now: Instant, out: &mut Outbox) {
    core.on_timers(now, out);
    out.clear();
}

#[inline(never)]
fn probe_clear(out: &mut Outbox) {
    out.clear();
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let n: u64 = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    if mode == "parse" {
        for raw in [INVITE, OK_200, ACK] {
            let b = Bytes::from_static(raw);
            let mut ok = 0;
            for _ in 0..n {
                ok += usize::from(probe_parse(black_box(b.clone())));
            }
            assert_eq!(ok as u64, n);
        }
        return;
    }
    let from: SocketAddr = "127.0.0.1:5061".parse().unwrap();
    let epoch = Instant::now();
    let mut now = epoch;
    let cfg = CoreConfig { events: false, ..CoreConfig::default() };
    let mut core = ShardCore::new(cfg, epoch);
    let mut out = Outbox::default();
    for i in 0..n {
        let invite = Bytes::from(format!(
            "{}Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{SDP}",
            head(i, "INVITE", "inv", 1, ""),
            SDP.len()
        ));
        probe_feed(&mut core, now, from, invite, &mut out);
        let ok = out
            .transmits
            .iter()
            .map(|t| Message::parse(t.data.clone()).unwrap())
            .find(|m| m.status_code() == Some(200))
            .expect("a 200");
        let to = ok.header(HeaderName::To).unwrap().to_string();
        let tag = to.split(";tag=").nth(1).unwrap().to_string();
        probe_clear(&mut out);
        let t = format!(";tag={tag}");
        let ack = Bytes::from(format!("{}Content-Length: 0\r\n\r\n", head(i, "ACK", "ack", 1, &t)));
        let bye = Bytes::from(format!("{}Content-Length: 0\r\n\r\n", head(i, "BYE", "bye", 2, &t)));
        probe_feed(&mut core, now, from, ack, &mut out);
        probe_feed(&mut core, now, from, bye, &mut out);
        probe_clear(&mut out);
        if i % 1024 == 1023 {
            now += Duration::from_secs(40);
            probe_timers(&mut core, now, &mut out);
        }
    }
    now += Duration::from_secs(40);
    probe_timers(&mut core, now, &mut out);
    assert_eq!(core.stats().calls_completed, n);
}
