//! The RFC 4475 torture messages on the wire: a real `sipbench-server`
//! gets each message of `tests/corpus/rfc4475/` byte-exact as one UDP
//! datagram, and the first response it sends (100 Trying aside) is
//! compared with the manifest's `expect`; afterwards SIPp still completes
//! calls through the same server.
//!
//! How the expectations work (the manifest's header has the details):
//! `expect` is what the RFC asks of a UAS that serves sip, sips and tel,
//! supports no extension and is not a registrar. Where today's server
//! does something else, the manifest records it beside `expect` as
//! `today` (e.g. `expect = "416"`, `today = "200"`), and this test asserts
//! `today` for those messages and `expect` for all others. So it passes
//! today, fails when any response changes without the manifest saying so,
//! and fails when a fix makes a message right until its `today` line is
//! deleted (a `today` that overlaps `expect` is rejected as stale). The
//! header and SDP checks below apply when the response is an `expect` one.
//!
//! Sending. Each message goes from a socket of its own on its own loopback
//! address (127.a.b.n), bound at the port the response will come to: with
//! `rport` in the top Via it comes back to the source, otherwise to the
//! source address at the Via's sent-by port, 5060 when none (RFC 3261
//! section 18.2.2). Several messages share a branch; three pairs (escnull
//! and regescrt, cparam01 and cparam02, unkscm and novelsc) even share
//! branch, sent-by and method, which makes the second a retransmission of
//! the first (section 17.2.3). Such a message waits for a later round, once
//! the first one's transaction has ended (Timer J, 64*T1; the server runs
//! with a short T1 for that). A call that is answered 2xx is ACKed and
//! ended with BYE, which must get 200; a non-2xx final to an INVITE is
//! ACKed. Every response must belong to the request it answers (Call-ID,
//! CSeq method): nothing may answer the INVITE octets after dblreq's
//! REGISTER.

use std::collections::{BTreeMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use bytes::Bytes;
use sipbench::sip::{HeaderName, Message, ParseLimits, Via};

mod common;
use common::sipp_run::*;

#[path = "common/rfc4475.rs"]
mod rfc4475;
use rfc4475::{Entry, Reply, manifest};

/// The server's T1: Timer J (64*T1) bounds how long a round waits before a
/// message that shares a transaction key with an earlier one.
const T1_MS: u64 = 25;
/// The longest wait for a response that is expected.
const ANSWER_WITHIN: Duration = Duration::from_secs(3);
/// How long a message that must get no response is watched.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// One message on its way: its socket and everything that came back.
struct Probe {
    entry: Entry,
    bytes: Vec<u8>,
    socket: UdpSocket,
    got: Vec<Message>,
    /// The status of the response to the BYE that ended an answered call.
    bye: Option<u16>,
}

/// The port a UDP response to `msg` comes to, read from the top Via as
/// the server would (sent-by port, 5060 by default); 5060 where there is
/// no readable Via.
fn reply_port(msg: &[u8]) -> u16 {
    let head_end = msg.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(msg.len());
    let head = String::from_utf8_lossy(&msg[..head_end]).replace("\r\n ", " ").replace("\r\n\t", " ");
    let top_via = head.split("\r\n").skip(1).find_map(|line| {
        let (name, value) = line.split_once(':')?;
        matches!(name.trim().to_ascii_lowercase().as_str(), "via" | "v").then(|| value.to_string())
    });
    let port = top_via.and_then(|v| {
        let first = v.split(',').next()?.to_string();
        // SIP / 2.0 / UDP host[:port][;params]
        let rest = first.splitn(3, '/').nth(2)?.trim_start().to_string();
        let (_transport, sent_by) = rest.split_once(char::is_whitespace)?;
        let host_port = sent_by.trim_start().split([';', ' ', '\t']).next()?;
        let port = host_port.rsplit_once(':').and_then(|(_, p)| p.parse().ok());
        Some(port.unwrap_or(5060))
    });
    port.unwrap_or(5060)
}

/// RFC 3261 section 17.2.3 matching key (branch, sent-by, method), or None
/// for what the server cannot key (responses, unreadable Via).
fn transaction_key(msg: &[u8]) -> Option<String> {
    let m = Message::parse_unvalidated(Bytes::copy_from_slice(msg), &ParseLimits::default()).ok()?;
    if !m.is_request() {
        return None;
    }
    let via = Via::parse(m.list(HeaderName::Via).next()?).ok()?;
    let method = if m.method_name() == "ACK" { "INVITE" } else { m.method_name() };
    Some(format!("{:?}|{}:{:?}|{method}", via.branch(), via.host, via.port))
}

/// Messages in rounds: a message joins the first round in which no other
/// message has its transaction key.
fn rounds(entries: &[Entry]) -> Vec<Vec<usize>> {
    let mut rounds: Vec<(HashSet<String>, Vec<usize>)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let key = transaction_key(&e.bytes());
        let at = rounds.iter().position(|(keys, _)| key.as_ref().is_none_or(|k| !keys.contains(k)));
        let at = at.unwrap_or_else(|| {
            rounds.push((HashSet::new(), Vec::new()));
            rounds.len() - 1
        });
        rounds[at].0.extend(key);
        rounds[at].1.push(i);
    }
    rounds.into_iter().map(|(_, v)| v).collect()
}

/// One socket per message, each on its own loopback address at the port
/// its response comes to; another /24 of 127/8 when one is taken.
fn probes(entries: &[Entry]) -> Vec<Probe> {
    let pid = std::process::id();
    for attempt in 0..64u32 {
        let (a, b) = (64 + (pid + attempt) % 128, (pid / 128 + attempt * 37) % 250 + 1);
        let sockets: Result<Vec<UdpSocket>, _> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let ip = Ipv4Addr::new(127, a as u8, b as u8, i as u8 + 1);
                UdpSocket::bind(SocketAddr::new(IpAddr::V4(ip), reply_port(&e.bytes())))
            })
            .collect();
        if let Ok(sockets) = sockets {
            return entries
                .iter()
                .zip(sockets)
                .map(|(e, socket)| {
                    socket.set_nonblocking(true).expect("nonblocking");
                    Probe { entry: e.clone(), bytes: e.bytes(), socket, got: Vec::new(), bye: None }
                })
                .collect();
        }
    }
    panic!("no block of 127/8 addresses where every probe socket binds");
}

/// Parses what the server sent: strictly, except a 400 or a 505, which
/// answer a malformed request and copy what it has.
fn parse_response(data: &[u8]) -> Message {
    let data = Bytes::copy_from_slice(data);
    Message::parse(data.clone())
        .or_else(|e| {
            let lax = Message::parse_unvalidated(data.clone(), &ParseLimits::default()).ok();
            lax.filter(|m| matches!(m.status_code(), Some(400 | 505))).ok_or(e)
        })
        .unwrap_or_else(|e| {
            panic!("the server sent an unreadable response ({e}): {:?}", String::from_utf8_lossy(&data))
        })
}

/// An ACK or BYE in the dialog a 2xx made: to its Contact, From and To as
/// the 2xx has them, a branch of our own.
fn in_dialog(method: &str, ok: &Message, local: SocketAddr, name: &str, cseq: u32) -> Vec<u8> {
    let target = ok.contact().and_then(Result::ok).map_or("sip:uas@127.0.0.1", |c| c.uri);
    format!(
        "{method} {target} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bK-4475-{name}-{method}-{};rport\r\n\
         From: {}\r\nTo: {}\r\nCall-ID: {}\r\nCSeq: {cseq} {method}\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
        std::process::id(),
        ok.header(HeaderName::From).unwrap_or(""),
        ok.header(HeaderName::To).unwrap_or(""),
        ok.call_id(),
    )
    .into_bytes()
}

/// The ACK for a non-2xx final to an INVITE: the INVITE's Request-URI and
/// top Via, the response's To (RFC 3261 section 17.1.1.3).
fn ack_non_2xx(invite: &[u8], resp: &Message) -> Option<Vec<u8>> {
    let ruri = std::str::from_utf8(invite).ok()?.split(' ').nth(1)?;
    let via = resp.list(HeaderName::Via).next()?;
    let seq = resp.cseq().ok()?.seq;
    Some(
        format!(
            "ACK {ruri} SIP/2.0\r\nVia: {via}\r\nFrom: {}\r\nTo: {}\r\nCall-ID: {}\r\nCSeq: {seq} ACK\r\n\
             Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
            resp.header(HeaderName::From)?,
            resp.header(HeaderName::To)?,
            resp.call_id(),
        )
        .into_bytes(),
    )
}

/// The method word of a response's CSeq as written: a 400 copies a CSeq
/// whose number does not parse (RFC 4475 §3.1.2.4) and still answers.
fn cseq_method(m: &Message) -> &str {
    m.header(HeaderName::CSeq).and_then(|v| v.split_whitespace().nth(1)).unwrap_or("")
}

fn is_final_to_invite(m: &Message) -> bool {
    m.status_code().is_some_and(|c| c >= 200) && m.cseq().is_ok_and(|c| c.method_name == "INVITE")
}

impl Probe {
    /// The first response other than 100 Trying to the message itself.
    fn first(&self) -> Option<&Message> {
        self.got.iter().find(|m| m.status_code() != Some(100) && cseq_method(m) != "BYE")
    }

    fn reply(&self) -> Reply {
        self.first().map_or(Reply::None, |m| Reply::Status(m.status_code().unwrap()))
    }

    /// Whether everything this probe waits for has come.
    fn settled(&self) -> bool {
        let answered = self.first().is_some();
        let call_ended = !self.first().is_some_and(|m| is_final_to_invite(m) && m.status_code() < Some(300))
            || self.bye.is_some();
        let expects_silence = self.entry.reply_asserted().contains(&Reply::None);
        (answered || expects_silence) && call_ended
    }

    /// Reads what arrived; ACKs finals to INVITE and ends answered calls.
    fn poll(&mut self, server: SocketAddr) {
        let mut buf = [0u8; 65_536];
        while let Ok((n, _)) = self.socket.recv_from(&mut buf) {
            let m = parse_response(&buf[..n]);
            let local = self.socket.local_addr().unwrap();
            if cseq_method(&m) == "BYE" {
                self.bye = m.status_code();
            } else if is_final_to_invite(&m) && !self.got.iter().any(is_final_to_invite) {
                let seq = m.cseq().unwrap().seq;
                if m.status_code() < Some(300) {
                    let ack = in_dialog("ACK", &m, local, &self.entry.name, seq);
                    let bye = in_dialog("BYE", &m, local, &self.entry.name, seq + 1);
                    self.socket.send_to(&ack, server).expect("send ACK");
                    self.socket.send_to(&bye, server).expect("send BYE");
                } else if let Some(ack) = ack_non_2xx(&self.bytes, &m) {
                    self.socket.send_to(&ack, server).expect("send ACK");
                }
            }
            self.got.push(m);
        }
    }

    /// What is wrong with what came back, beyond the status: responses that
    /// answer something else, and the `expect` response's own checks.
    fn faults(&self) -> Vec<String> {
        let mut out = Vec::new();
        let request = Message::parse(Bytes::copy_from_slice(&self.bytes)).ok().filter(Message::is_request);
        for m in &self.got {
            let method = cseq_method(m).to_string();
            if let Some(req) = &request
                && (m.call_id() != req.call_id() || !(method == req.method_name() || method == "BYE"))
            {
                out.push(format!(
                    "a response to something else: {} {method} Call-ID {}",
                    label(m),
                    m.call_id()
                ));
            }
        }
        let Some(first) = self.first() else { return out };
        if self.entry.today.is_some() || !self.entry.expect.contains(&self.reply()) {
            return out;
        }
        for h in &self.entry.must_have {
            if first.header_by_name(h).is_none() {
                out.push(format!("{} lacks {h}", label(first)));
            }
        }
        if let Some((h, items)) = &self.entry.must_list {
            let listed: Vec<String> = first
                .headers()
                .filter(|x| x.raw_name.eq_ignore_ascii_case(h))
                .flat_map(|x| x.value.split(',').map(|s| s.trim().to_string()).collect::<Vec<_>>())
                .collect();
            for item in items {
                if !listed.contains(item) {
                    out.push(format!("{} {h} does not list {item}: {listed:?}", label(first)));
                }
            }
        }
        if is_final_to_invite(first) && first.status_code() < Some(300) {
            out.extend(self.answer_faults(first));
            if self.bye != Some(200) {
                out.push(format!("the BYE that ends the call got {:?}", self.bye));
            }
        }
        out
    }

    /// RFC 3264 section 6: the answer has one m= line per offered one, and
    /// declines (port 0) the media a signalling UAS does not serve.
    fn answer_faults(&self, ok: &Message) -> Vec<String> {
        let request = Message::parse(Bytes::copy_from_slice(&self.bytes)).expect("an answered INVITE parses");
        let m_lines = |body: &[u8]| -> Vec<String> {
            String::from_utf8_lossy(body).lines().filter(|l| l.starts_with("m=")).map(String::from).collect()
        };
        let (offer, answer) = (m_lines(request.body()), m_lines(ok.body()));
        if offer.len() != answer.len() {
            return vec![format!("offer {offer:?} answered with {answer:?}")];
        }
        let mut out = Vec::new();
        for (o, a) in offer.iter().zip(&answer) {
            let port = a.split_whitespace().nth(1).unwrap_or("");
            if !o.starts_with("m=audio") && port != "0" {
                out.push(format!("{o:?} is not declined: {a:?}"));
            }
        }
        out
    }
}

fn label(m: &Message) -> String {
    format!("{} {}", m.status_code().unwrap_or(0), m.reason())
}

/// Sends one round and collects its responses.
fn run_round(probes: &mut [Probe], round: &[usize], server: SocketAddr) {
    for &i in round {
        probes[i].socket.send_to(&probes[i].bytes, server).expect("send a torture message");
    }
    let start = Instant::now();
    loop {
        for &i in round {
            probes[i].poll(server);
        }
        let waited = start.elapsed();
        if waited >= ANSWER_WITHIN || (waited >= QUIET_FOR && round.iter().all(|&i| probes[i].settled())) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn every_torture_message_gets_the_manifests_first_response_and_sipp_still_calls() {
    let started = Instant::now();
    let dir = scratch("rfc4475");
    let server = Server::start(&dir, LOOPBACK4, &["--shards", "2", "--t1-ms", &T1_MS.to_string()]);
    let entries = manifest();
    let rounds = rounds(&entries);
    let mut probes = probes(&entries);
    for (n, round) in rounds.iter().enumerate() {
        if n > 0 {
            // The previous round's non-INVITE transactions end after Timer J.
            std::thread::sleep(Duration::from_millis(64 * T1_MS + 300));
        }
        run_round(&mut probes, round, server.addr);
    }
    // Whatever came late is judged too.
    for p in &mut probes {
        p.poll(server.addr);
    }

    let mut table = String::new();
    let mut wrong = Vec::new();
    let mut by_outcome: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &probes {
        let e = &p.entry;
        let got = p.reply();
        let asserted = e.reply_asserted();
        let expect: Vec<String> = e.expect.iter().map(Reply::label).collect();
        let today = e.today.as_ref().map(|t| t.iter().map(Reply::label).collect::<Vec<_>>().join("|"));
        table += &format!(
            "{:<9} {:<11} expect {:<8} today {:<8} got {}\n",
            e.section,
            e.name,
            expect.join("|"),
            today.as_deref().unwrap_or("-"),
            p.first().map_or("none".into(), label),
        );
        if !asserted.contains(&got) {
            wrong.push(format!(
                "{} ({}): got {}, the manifest asserts {asserted:?}",
                e.name,
                e.section,
                got.label()
            ));
        }
        for f in p.faults() {
            wrong.push(format!("{} ({}): {f}", e.name, e.section));
        }
        *by_outcome.entry(if e.today.is_some() { "known wrong" } else { "as the RFC asks" }).or_default() +=
            1;
    }
    println!("{table}{by_outcome:?}");
    assert!(wrong.is_empty(), "responses differ from the manifest:\n{}\n\n{table}", wrong.join("\n"));

    // The server is still whole: SIPp calls through it.
    let sipp = run_sipp(
        &dir,
        &server,
        "uac_call.xml",
        &["-m", "10", "-r", "10", "-d", "100"],
        Duration::from_secs(60),
    );
    let summary = server.stop();
    sipp.assert_all_successful(10);
    assert_eq!(summary.total("/calls/active"), 0, "{}", summary.stdout);
    let answered = probes.iter().filter(|p| p.bye == Some(200)).count() as u64;
    assert_eq!(summary.total("/calls/completed"), 10 + answered, "{}", summary.stdout);
    println!(
        "rounds {}, {answered} torture calls answered and ended, {:.1} s",
        rounds.len(),
        started.elapsed().as_secs_f64()
    );
}

/// Where responses come back to, read as the server reads the top Via.
#[test]
fn reply_ports_follow_the_top_via() {
    let port = |name: &str| reply_port(&manifest().into_iter().find(|e| e.name == name).unwrap().bytes());
    // sent-by without a port, folded over lines, and with 5050 / 5070.
    assert_eq!((port("wsinv"), port("longreq"), port("quotbal"), port("mpart01")), (5060, 5060, 5050, 5070));
    assert_eq!((port("badaspec"), port("insuf"), port("unreason")), (5060, 5060, 5060));
}

/// The three pairs that share branch, sent-by and method go to rounds of
/// their own; everything else is sent at once.
#[test]
fn rounds_keep_shared_transaction_keys_apart() {
    let entries = manifest();
    let rounds = rounds(&entries);
    let names = |r: &[usize]| r.iter().map(|&i| entries[i].name.as_str()).collect::<Vec<_>>();
    assert_eq!(rounds.len(), 2, "{rounds:?}");
    assert_eq!(names(&rounds[1]), ["novelsc", "cparam02", "regescrt"]);
    assert_eq!(rounds[0].len(), 46);
}
