//! The real `sipbench-server` binary driven by real SIPp (`sipp`, Debian's
//! sip-tester) with the project's scenarios in `sipp/`.
//!
//! Every test starts its own server on its own loopback ports, runs one or
//! two bounded (`-m`) SIPp loads under a hard time limit, stops the server
//! with SIGTERM and checks that SIPp's statistics and the server's
//! `summary.json` agree. A missing `sipp` is a failure, never a skip:
//! `scripts/test.sh` installs it.

use std::fs;
use std::net::{Ipv6Addr, SocketAddr, UdpSocket};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::sipp_run::*;

fn ipv6_loopback_or_fail() {
    if let Err(e) = UdpSocket::bind((Ipv6Addr::LOCALHOST, 0)) {
        panic!(
            "IPv6 loopback [::1] cannot be bound on this machine ({e}); the IPv6 test needs it \
             (enable IPv6 on lo: sysctl net.ipv6.conf.lo.disable_ipv6=0)"
        );
    }
}

/// 5,000 calls at 500 calls/s from one socket: every call succeeds for
/// SIPp, and the server completed exactly those calls, none failed.
#[test]
fn five_thousand_calls_at_500_cps() {
    let dir = scratch("five_thousand_calls");
    // Hand-offs instead of the kernel's steering, so the inbox is used.
    let server = Server::start(&dir, LOOPBACK4, &["--shards", "2", "--no-kernel-steering"]);
    let sipp = run_sipp(
        &dir,
        &server,
        "uac_call.xml",
        &["-t", "u1", "-m", "5000", "-r", "500", "-l", "2000", "-d", "100"],
        Duration::from_secs(100),
    );
    let summary = server.stop();
    sipp.assert_all_successful(5000);
    assert_eq!(summary.total("/calls/received"), 5000, "{}", summary.stdout);
    assert_eq!(summary.total("/calls/completed"), sipp.successful(), "{}", summary.stdout);
    assert_eq!(summary.total("/calls/failed"), 0, "{}", summary.stdout);
    assert_eq!(summary.total("/calls/active"), 0, "{}", summary.stdout);
    // Messages by method and status class: one INVITE, ACK and BYE in and
    // two 2xx out per call (the 200 is sent at once, so no 100 Trying),
    // plus what a stall of T1 or more on a loaded box makes either side
    // resend: each repeat in is absorbed (or, an ACK for a call already
    // ended, counted stray) and each one out is counted.
    let dup_in = summary.total("/messages/retransmissions_in") + summary.total("/drops/stray_acks");
    let dup_out = summary.total("/messages/retransmissions_out");
    let mut requests = 0;
    for method in ["INVITE", "ACK", "BYE"] {
        let got = summary.total(&format!("/messages/requests_in_by_method/{method}"));
        assert!(got >= 5000, "{method}: {}", summary.stdout);
        requests += got;
    }
    assert_eq!(requests, 15_000 + dup_in, "{}", summary.stdout);
    let sent_2xx = summary.total("/messages/responses_out_by_class/2xx");
    assert_eq!(sent_2xx, 10_000 + dup_out, "{}", summary.stdout);
    assert!(dup_in + dup_out < 5000, "repeats for most calls: {}", summary.stdout);
    assert_eq!(summary.total("/messages/responses_out_by_class/4xx"), 0, "{}", summary.stdout);
    // Latency files: one .hgrm per histogram whose last row counts every
    // sample, and the same counts in summary.json and the printed table.
    // With `-t u1` and two shards, half the datagrams wait in an inbox.
    let datagrams = summary.total("/datagrams_in");
    let handed = summary.total("/handoffs/in");
    let latencies = [
        ("call_setup", 5000),
        ("invite_first_response", 5000),
        ("message_service", datagrams),
        ("inbox_delay", handed),
    ];
    for (name, count) in latencies {
        let path = dir.join("report").join(format!("{name}.hgrm"));
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let rows = sipbench::metrics::parse_percentile_distribution(&text);
        let last = rows.last().unwrap_or_else(|| panic!("{name}.hgrm has no rows:\n{text}"));
        assert_eq!((last.1, last.2), (1.0, count), "{name}.hgrm:\n{text}");
        assert!(rows.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1), "{name}.hgrm:\n{text}");
        assert_eq!(summary.json["latency_ms"][name]["count"], count, "{}", summary.json);
        let line = summary.stdout.lines().find(|l| l.starts_with(name)).expect("a table row");
        assert!(line.ends_with(&format!(" {count}")), "{line}");
    }
    assert!(handed > 4000, "hand-offs: {handed}");
    // Plots: well-formed SVG naming each series.
    for (file, series) in [
        ("latency.svg", &["call_setup", "invite_first_response", "message_service", "inbox_delay"][..]),
        ("timeline.svg", &["calls/s", "active calls", "failed (total)"][..]),
    ] {
        let svg = fs::read_to_string(dir.join("report").join(file)).expect("plot written");
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{file}: {e}"));
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        for name in series {
            assert!(texts.contains(name), "{file} lacks {name}: {texts:?}");
        }
    }
}

/// Over 1,200 calls held at once (3 s each, SIPp capped at 1,300): all
/// succeed and the server saw them up together. One shard, so that the
/// server's peak is exact (a merged peak is the sum of the shards' peaks).
#[test]
fn twelve_hundred_concurrent_calls() {
    let dir = scratch("concurrent_calls");
    let server = Server::start(&dir, LOOPBACK4, &["--shards", "1"]);
    let sipp = run_sipp(
        &dir,
        &server,
        "uac_long_call.xml",
        &["-t", "u1", "-m", "1500", "-r", "500", "-l", "1300"],
        Duration::from_secs(90),
    );
    let summary = server.stop();
    sipp.assert_all_successful(1500);
    let sipp_peak = sipp.peak_calls();
    assert!(sipp_peak >= 1200, "SIPp's peak was {sipp_peak} calls:\n{}", sipp.screen);
    let peak = summary.total("/calls/peak_active");
    assert!(peak >= 1200, "server peak_active {peak} < 1200\n{}", summary.stdout);
    assert_eq!(summary.total("/calls/completed"), 1500, "{}", summary.stdout);
    assert_eq!(summary.total("/calls/failed"), 0, "{}", summary.stdout);
}

/// Two shards under SIPp: with one socket per call (`-t un`) the kernel
/// spreads datagrams over both shards' sockets; with one socket for all
/// (`-t u1`, a proxy in front) and kernel steering off, every datagram
/// lands on one shard, which hands the other shard's Call-IDs over; with
/// steering on (the default) each datagram lands on its call's shard and
/// nothing is handed off. Every call succeeds and both shards own calls.
#[test]
fn two_shards_spread_and_hand_off() {
    for (transport, steering) in [("un", false), ("u1", false), ("u1", true)] {
        let dir = scratch(&format!("two_shards_{transport}_{steering}"));
        let flags: &[&str] =
            if steering { &["--shards", "2"] } else { &["--shards", "2", "--no-kernel-steering"] };
        let server = Server::start(&dir, LOOPBACK4, flags);
        let sipp = run_sipp(
            &dir,
            &server,
            "uac_call.xml",
            // -max_socket: SIPp's default (50,000) exceeds common open-file limits.
            &["-t", transport, "-max_socket", "1000", "-m", "600", "-r", "300", "-d", "100"],
            Duration::from_secs(60),
        );
        let s = server.stop();
        sipp.assert_all_successful(600);
        assert_eq!(s.shards(), 2);
        let ctx = format!("-t {transport}, steering {steering}: {}", s.json);
        assert_eq!(s.total("/calls/completed"), 600, "{ctx}");
        assert_eq!(s.total("/calls/failed"), 0, "{ctx}");
        for i in 0..2 {
            assert!(s.shard(i, "/calls/received") > 0, "shard {i} owns no call; {ctx}");
        }
        let handoffs = s.total("/handoffs/out");
        assert_eq!(handoffs, s.total("/handoffs/in"), "hand-offs lost; {ctx}");
        let datagrams: Vec<u64> = (0..2).map(|i| s.shard(i, "/datagrams_in")).collect();
        match (transport, steering) {
            ("u1", false) => {
                assert!(handoffs > 0, "no hand-offs; {ctx}");
                assert_eq!(datagrams.iter().filter(|&&d| d > 0).count(), 1, "-t u1 hit both sockets; {ctx}");
            }
            ("u1", true) if !common::may_load_bpf() => {
                // Not allowed to steer: the server hands off as before.
                assert!(handoffs > 0, "no hand-offs; {ctx}");
            }
            ("u1", true) => {
                assert_eq!(handoffs, 0, "steered datagrams were handed off; {ctx}");
                assert!(
                    datagrams.iter().all(|&d| d > 0),
                    "a shard's socket got nothing: {datagrams:?}; {ctx}"
                );
            }
            _ => {
                assert!(handoffs > 0, "no hand-offs; {ctx}");
                assert!(
                    datagrams.iter().all(|&d| d > 0),
                    "a shard's socket got nothing: {datagrams:?}; {ctx}"
                );
            }
        }
    }
}

/// The server hangs up 1 s after the ACK; SIPp answers every BYE.
#[test]
fn server_side_hangup() {
    let dir = scratch("server_bye");
    let server = Server::start(&dir, LOOPBACK4, &["--shards", "2", "--duration-ms", "1000"]);
    let sipp =
        run_sipp(&dir, &server, "uac_server_bye.xml", &["-m", "400", "-r", "200"], Duration::from_secs(60));
    let s = server.stop();
    sipp.assert_all_successful(400);
    assert_eq!(sipp.count("_BYE_Recv"), 400);
    assert_eq!(s.total("/calls/completed"), 400, "{}", s.stdout);
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
    // The 200s to the server's BYEs: one each, and one more for each BYE
    // resent if SIPp stalled for T1 or more.
    let answers = 400..=400 + s.total("/messages/retransmissions_out");
    assert!(answers.contains(&s.total("/messages/responses_in")), "{}", s.stdout);
}

/// Graceful shutdown under load: SIGTERM while 100 answered calls are up
/// and new calls keep coming. The server hangs up each answered call with
/// BYE (SIPp answers 4 s later, so the shutdown lasts that long), answers
/// the INVITEs arriving meanwhile with 503, writes its report and exits 0.
/// Neither SIPp sees a timeout or a failed call, and the server counts
/// each call whose BYE was answered before the deadline as completed, not
/// as ended by shutdown.
#[test]
fn sigterm_under_load_byes_active_calls_and_refuses_new_ones() {
    let dir = scratch("shutdown");
    let server = Server::start(&dir, LOOPBACK4, &["--shards", "2", "--shutdown-secs", "10"]);
    let (up_dir, late_dir) = (dir.join("answered"), dir.join("late"));
    fs::create_dir_all(&up_dir).expect("mkdir");
    fs::create_dir_all(&late_dir).expect("mkdir");
    let view = server.view_from(server.ports);
    let up = std::thread::spawn(move || {
        let extra = ["-m", "100", "-r", "100", "-l", "200"];
        run_sipp(&up_dir, &view, "uac_server_bye_slow.xml", &extra, Duration::from_secs(60))
    });
    // All 100 INVITEs go out within 1 s (plus SIPp's start); the calls
    // then wait for a BYE, which SIPp answers 4 s after it arrives.
    std::thread::sleep(Duration::from_millis(2500));
    kill(server.child.as_ref().expect("server"), libc::SIGTERM);
    std::thread::sleep(Duration::from_millis(200));
    let late_view = server.view_from(free_ports(LOOPBACK4));
    let late = run_sipp(
        &late_dir,
        &late_view,
        "uac_call_or_503.xml",
        &["-m", "50", "-r", "50"],
        Duration::from_secs(40),
    );
    let up = up.join().expect("sipp thread");
    let s = server.stop();
    up.assert_all_successful(100);
    assert_eq!(up.count("_BYE_Recv"), 100, "{}", up.screen);
    late.assert_all_successful(50);
    assert_eq!(late.count("_503_Recv"), 50, "every late INVITE refused: {}", late.screen);
    assert_eq!(s.total("/calls/received"), 100, "{}", s.stdout);
    assert_eq!(s.total("/calls/completed"), 100, "{}", s.stdout);
    assert_eq!(s.total("/calls/failed_by_reason/shutdown"), 0, "{}", s.stdout);
    assert_eq!(s.total("/calls/overload_rejected"), 50, "{}", s.stdout);
    assert_eq!(s.total("/calls/active"), 0, "{}", s.stdout);
}

/// Every call rejected with 486: SIPp gets a 486 on each (its scenario
/// fails on anything else) and the server counts them as rejected.
#[test]
fn every_call_rejected_with_486() {
    let dir = scratch("reject");
    let server =
        Server::start(&dir, LOOPBACK4, &["--shards", "2", "--reject-percent", "100", "--reject-code", "486"]);
    let sipp =
        run_sipp(&dir, &server, "uac_reject.xml", &["-m", "500", "-r", "250"], Duration::from_secs(60));
    let s = server.stop();
    sipp.assert_all_successful(500);
    assert_eq!(sipp.count("_486_Recv"), 500);
    assert_eq!(s.total("/calls/received"), 500, "{}", s.stdout);
    assert_eq!(s.total("/calls/rejected"), 500, "{}", s.stdout);
    assert_eq!(s.total("/calls/answered"), 0, "{}", s.stdout);
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
}

/// OPTIONS out of dialog gets 200 OK.
#[test]
fn options_gets_200() {
    let dir = scratch("options");
    let server = Server::start(&dir, LOOPBACK4, &["--shards", "2"]);
    let sipp =
        run_sipp(&dir, &server, "uac_options.xml", &["-m", "200", "-r", "200"], Duration::from_secs(40));
    let s = server.stop();
    sipp.assert_all_successful(200);
    assert_eq!(sipp.count("_200_Recv"), 200);
    // One each, and any SIPp resent after a stall of T1 or more absorbed.
    let absorbed = s.total("/messages/retransmissions_in");
    assert_eq!(s.total("/messages/requests_in"), 200 + absorbed, "{}", s.stdout);
    assert_eq!(s.total("/calls/received"), 0, "{}", s.stdout);
}

/// A source over `--source-rate` gets 503 for its new requests: SIPp
/// floods OPTIONS at four times the limit; the burst and the rate pass,
/// the rest is refused and counted, and nothing is left unanswered.
#[test]
fn source_over_its_rate_gets_503() {
    let dir = scratch("source-limit");
    let limit = ["--shards", "1", "--source-rate", "50", "--source-burst", "50"];
    let server = Server::start(&dir, LOOPBACK4, &limit);
    let sipp =
        run_sipp(&dir, &server, "uac_options.xml", &["-m", "400", "-r", "200"], Duration::from_secs(40));
    let s = server.stop();
    let (ok, failed) = (sipp.successful(), sipp.failed());
    assert_eq!(ok + failed, 400, "every request answered: {}", sipp.screen);
    // 50 at once, then 50 per second over the two-second run.
    assert!((100..=220).contains(&ok), "admitted {ok}; {}", s.stdout);
    assert_eq!(s.total("/calls/source_limited"), failed, "{}", s.stdout);
    // (SIPp answers each unexpected 503 with a BYE, which gets 481.)
    assert_eq!(s.total("/messages/requests_in_by_method/OPTIONS"), 400, "{}", s.stdout);
}

/// Parse limits are flags: with `--max-message-size 1000` a larger
/// datagram is dropped and counted, while a small request is answered.
#[test]
fn parse_limits_come_from_the_command_line() {
    let dir = scratch("parse-limits");
    let server = Server::start(&dir, LOOPBACK4, &["--shards", "1", "--max-message-size", "1000"]);
    let peer = UdpSocket::bind("127.0.0.1:0").expect("bind peer");
    peer.set_read_timeout(Some(Duration::from_millis(500))).expect("timeout");
    let options = |pad: usize| {
        format!(
            "OPTIONS sip:s@{a} SIP/2.0\r\nVia: SIP/2.0/UDP {p};branch=z9hG4bK-{pad}\r\n\
             From: <sip:p@{p}>;tag=1\r\nTo: <sip:s@{a}>\r\nCall-ID: limits-{pad}\r\nCSeq: 1 OPTIONS\r\n\
             X-Pad: {x}\r\nContent-Length: 0\r\n\r\n",
            a = server.addr,
            p = peer.local_addr().unwrap(),
            x = "x".repeat(pad)
        )
    };
    let mut buf = [0u8; 4096];
    peer.send_to(options(1500).as_bytes(), server.addr).expect("send large");
    assert!(peer.recv_from(&mut buf).is_err(), "an over-size datagram gets no answer");
    peer.send_to(options(10).as_bytes(), server.addr).expect("send small");
    let (n, _) = peer.recv_from(&mut buf).expect("a small OPTIONS is answered");
    assert!(buf[..n].starts_with(b"SIP/2.0 200 "), "{}", String::from_utf8_lossy(&buf[..n]));
    let s = server.stop();
    assert_eq!(s.total("/drops/parse_errors"), 1, "{}", s.stdout);
}

/// The server on [::1], SIPp on [::1]: full calls succeed.
#[test]
fn ipv6_loopback_calls() {
    ipv6_loopback_or_fail();
    let dir = scratch("ipv6");
    let server = Server::start(&dir, LOOPBACK6, &["--shards", "2"]);
    assert!(server.addr.is_ipv6());
    let sipp = run_sipp(
        &dir,
        &server,
        "uac_call.xml",
        &["-m", "200", "-r", "200", "-d", "100"],
        Duration::from_secs(40),
    );
    let s = server.stop();
    sipp.assert_all_successful(200);
    assert_eq!(s.total("/calls/completed"), 200, "{}", s.stdout);
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
}

/// Hostile input during a normal SIPp load: every malformed datagram of the
/// corpus plus generated ones (64 KiB, thousands of headers, NULs, invalid
/// UTF-8, stray responses, ACK/BYE/CANCEL for nothing, an INVITE
/// retransmission flood). The server stays up, answers 400 naming the
/// fault where it can route a response, counts the rest, and no SIPp call
/// fails.
#[test]
fn hostile_datagrams_during_load_harm_no_call() {
    let dir = scratch("hostile");
    let server = Server::start(&dir, LOOPBACK4, &["--shards", "2"]);
    let target = server.addr;
    let view = server.view_from(server.ports);
    let dir2 = dir.clone();
    let sipp = std::thread::spawn(move || {
        run_sipp(&dir2, &view, "uac_call.xml", &["-m", "1000", "-r", "200"], Duration::from_secs(60))
    });
    let attacker = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind attacker");
    attacker.set_read_timeout(Some(Duration::from_millis(200))).expect("timeout");
    let mut bad: Vec<Vec<u8>> =
        fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/invalid"))
            .expect("corpus")
            .filter_map(Result::ok)
            .map(|e| fs::read(e.path()).expect("read corpus file"))
            .collect();
    // rport: answers come back to the attacker's socket (RFC 3581).
    let via = "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-hostile;rport";
    let base = |method: &str, extra: &str| {
        format!(
            "{method} sip:x@127.0.0.1 SIP/2.0\r\n{via}\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:x@h>{extra}\r\n\
Call-ID: hostile-1\r\nCSeq: 1 {method}\r\nContent-Length: 0\r\n\r\n"
        )
    };
    bad.push(vec![b'A'; 65_000]);
    bad.push(format!("INVITE sip:x@h SIP/2.0\r\n{}\r\n", "X-Junk: y\r\n".repeat(5_000)).into_bytes());
    bad.push(b"INVITE sip:x@h SIP/2.0\r\nVia: \xff\xfe\r\n\r\n".to_vec());
    bad.push(b"\0\0\0\0INVITE".to_vec());
    bad.push(format!("SIP/2.0 200 OK\r\n{via}\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:x@h>;tag=2\r\nCall-ID: nobody\r\nCSeq: 1 INVITE\r\n\r\n").into_bytes());
    bad.push(base("ACK", ";tag=unknown").into_bytes());
    bad.push(base("BYE", ";tag=unknown").into_bytes());
    bad.push(base("CANCEL", "").into_bytes());
    bad.push(base("INVITE", "").replace("Content-Length: 0", "Content-Length: 99999").into_bytes());
    bad.push(base("INVITE", "").replace("CSeq: 1 INVITE", "CSeq: 1 BYE").into_bytes());
    let flood = base("INVITE", "").into_bytes();
    let mut replies = Vec::new();
    let mut buf = vec![0u8; 65_536];
    // Spread the attack over the load: a round every 100 ms for ~3 s.
    for _round in 0..30 {
        for d in &bad {
            let _ = attacker.send_to(d, target);
        }
        for _ in 0..20 {
            let _ = attacker.send_to(&flood, target);
        }
        std::thread::sleep(Duration::from_millis(100));
        while let Ok(n) = attacker.recv(&mut buf) {
            replies.push(String::from_utf8_lossy(&buf[..n]).lines().next().unwrap_or("").to_string());
        }
    }
    let sipp = sipp.join().expect("sipp thread");
    let summary = server.stop();
    sipp.assert_all_successful(1000);
    // The flood's INVITE is one call of its own (retransmissions absorbed).
    assert_eq!(summary.total("/calls/received"), 1001, "{}", summary.stdout);
    assert_eq!(summary.total("/calls/completed"), 1000, "{}", summary.stdout);
    let parse_errors = summary.total("/drops/parse_errors");
    assert!(parse_errors >= 30 * 50, "{}", summary.stdout);
    // Counted by cause: each cause the attack sent every round.
    let by = |k: &str| summary.total(&format!("/drops/parse_errors_by_reason/{k}"));
    for cause in ["headers_too_large", "bad_bytes", "bad_content_length", "bad_cseq", "truncated"] {
        assert!(by(cause) >= 30, "{cause}: {}; {}", by(cause), summary.json);
    }
    let reasons = summary.json["total"]["drops"]["parse_errors_by_reason"].as_object().expect("by reason");
    let sum: u64 = reasons.values().filter_map(Value::as_u64).sum();
    assert_eq!(sum, parse_errors, "causes add up; {}", summary.json);
    assert!(summary.total("/messages/bad_requests_400") > 0, "{}", summary.stdout);
    assert!(summary.total("/messages/unknown_dialog_481") > 0, "{}", summary.stdout);
    assert!(summary.total("/drops/stray_responses") >= 30, "{}", summary.stdout);
    assert!(
        replies.iter().any(|r| r.starts_with("SIP/2.0 400 Bad Request - ")),
        "400s name the fault: {replies:?}"
    );
    assert!(replies.iter().any(|r| r.starts_with("SIP/2.0 481")), "{replies:?}");
}

/// SIPp drops 10 % of the messages it sends and receives (`-lost 10`)
/// over 2,000 calls. Every call still succeeds on both sides, and the
/// retransmissions account for the losses exactly: each INVITE or BYE the
/// server received is one SIPp sent or re-sent and did not lose, and each
/// beyond the first per call was absorbed as a retransmission.
///
/// SIPp retransmits for as long as RFC 3261's Timers B and F allow (7
/// INVITE sends, 11 BYE sends): with its shorter defaults a UAC that
/// loses this much gives up on some call by chance now and then, whatever
/// the server does.
#[test]
fn ten_percent_loss_every_call_recovers() {
    let dir = scratch("lost10");
    let server = Server::start(&dir, LOOPBACK4, &["--shards", "2"]);
    let retrans = ["-max_invite_retrans", "6", "-max_non_invite_retrans", "10"];
    let extra = [&["-m", "2000", "-r", "400", "-l", "3000", "-lost", "10"][..], &retrans].concat();
    let sipp = run_sipp(&dir, &server, "uac_call_lossy.xml", &extra, Duration::from_secs(90));
    let s = server.stop();
    sipp.assert_all_successful(2000);
    assert_eq!(s.total("/calls/completed"), 2000, "{}", s.stdout);
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
    let mut absorbed = 0;
    for (method, row) in [("INVITE", "0_INVITE"), ("BYE", "6_BYE")] {
        let (sent, retrans, lost) = (
            sipp.count(&format!("{row}_Sent")),
            sipp.count(&format!("{row}_Retrans")),
            sipp.count(&format!("{row}_Lost")),
        );
        assert!(lost > 0, "SIPp lost no {method}: the run tested nothing");
        assert!(retrans >= lost, "{method}: {retrans} retransmissions for {lost} losses");
        let got = s.total(&format!("/messages/requests_in_by_method/{method}"));
        assert_eq!(got, sent + retrans - lost, "{method} received; {}", s.stdout);
        absorbed += got - 2000;
    }
    assert_eq!(s.total("/messages/retransmissions_in"), absorbed, "{}", s.stdout);
    // Every 200 SIPp took or lost came from the server, first or re-sent.
    let seen = ["3_200_Recv", "3_200_Lost", "7_200_Recv", "7_200_Lost"].map(|c| sipp.count(c));
    assert!(seen[1] > 0 && seen[3] > 0, "SIPp lost no 200: {seen:?}");
    let sent_2xx = s.total("/messages/responses_out_by_class/2xx");
    assert!(sent_2xx >= seen.iter().sum::<u64>(), "{sent_2xx} 2xx sent, SIPp saw {seen:?}");
    assert!(s.total("/messages/retransmissions_out") > 0, "{}", s.stdout);
}

/// Overload: the server holds at most 50 calls of 1 s (50 calls/s) and
/// SIPp offers 100 calls/s. About half the INVITEs get 503 with
/// Retry-After, at once: no timeouts, no retransmissions either way, and
/// every call that was answered completes. When the load drops, the next
/// calls all go through.
#[test]
fn twice_the_capacity_gets_503_then_recovers() {
    let dir = scratch("overload");
    let server = Server::start(&dir, LOOPBACK4, &["--shards", "1", "--max-concurrent", "50"]);
    let extra = ["-m", "300", "-r", "100", "-l", "1000", "-d", "1000"];
    let over = run_sipp(&dir, &server, "uac_call_or_503.xml", &extra, Duration::from_secs(40));
    over.assert_all_successful(300);
    let (refused, answered) = (over.count("_503_Recv"), over.count("4_200_Recv"));
    assert_eq!(refused + answered, 300, "every INVITE got 200 or 503");
    assert!((100..=200).contains(&refused), "{refused} refused at twice the capacity");
    // No storm: at most a stray retransmission on a loaded test machine.
    assert_eq!(over.count("0_INVITE_Timeout"), 0, "{}", over.screen);
    assert!(over.count("0_INVITE_Retrans") <= 3, "{}", over.screen);
    let calm = ["-m", "25", "-r", "25", "-l", "1000", "-d", "1000"];
    let after = run_sipp(&dir, &server, "uac_call_or_503.xml", &calm, Duration::from_secs(30));
    after.assert_all_successful(25);
    assert_eq!(after.count("_503_Recv"), 0, "refused after the load dropped: {}", after.screen);
    let s = server.stop();
    assert_eq!(s.total("/calls/overload_rejected"), refused, "{}", s.stdout);
    assert_eq!(s.total("/calls/completed"), answered + 25, "{}", s.stdout);
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
    assert_eq!(s.total("/calls/peak_active"), 50, "{}", s.stdout);
    assert!(s.total("/messages/retransmissions_out") <= 3, "{}", s.stdout);
}

/// The inbox-delay threshold sheds load: with a 1 ns threshold every
/// hand-off is "late", so with `-t u1` (all traffic on shard 0's socket)
/// the calls owned by shard 1 get 503 while shard 0's own calls complete.
#[test]
fn inbox_delay_over_threshold_sheds_new_calls() {
    let dir = scratch("inbox-delay");
    let flags = ["--shards", "2", "--max-inbox-delay-ms", "0.000001", "--no-kernel-steering"];
    let server = Server::start(&dir, LOOPBACK4, &flags);
    let extra = ["-m", "300", "-r", "150", "-d", "100"];
    let sipp = run_sipp(&dir, &server, "uac_call_or_503.xml", &extra, Duration::from_secs(40));
    let s = server.stop();
    sipp.assert_all_successful(300);
    let refused = sipp.count("_503_Recv");
    assert!(refused > 0, "no call was shed: {}", s.stdout);
    let ctx = &s.stdout;
    let receiver = (0..2).find(|&i| s.shard(i, "/datagrams_in") > 0).expect("a shard got the traffic");
    let owner = 1 - receiver;
    assert_eq!(s.shard(owner, "/calls/overload_by_delay"), refused, "{ctx}");
    assert_eq!(s.shard(owner, "/calls/received"), 0, "{ctx}");
    assert_eq!(s.shard(receiver, "/calls/overload_rejected"), 0, "{ctx}");
    assert_eq!(s.shard(receiver, "/calls/completed"), 300 - refused, "{ctx}");
}

/// `scripts/soak.sh`, shortened: 15 s of SIPp calls held 2 s against the
/// server under test, with T1 = 50 ms so that the transactions' 64·T1
/// timers drain in 3.2 s. The script checks RSS after the drain against
/// RSS after warm-up, the server's tables at exit, and SIPp's calls
/// against the server's counters; its verdict lines must say so.
#[test]
fn soak_script_short_run_leaks_nothing() {
    require_sipp();
    let dir = scratch("soak");
    let ports = free_ports(LOOPBACK4);
    let report = dir.join("report");
    let port = ports.server.to_string();
    let args = ["--seconds", "15", "--rate", "50", "--hold-ms", "2000", "--t1-ms", "50", "--port", &port];
    let (status, out) = run_script(&dir, "soak", &args, &report, Duration::from_secs(120));
    let ctx = format!("{out}\nstderr: {}", tail(&dir.join("soak.err"), 2000));
    assert!(status.success(), "soak.sh failed: {ctx}");
    assert!(out.contains("SIPp successful / failed       750 / 0 (of 750, exit 0)"), "{ctx}");
    assert!(out.contains("server received / completed    750 / 750 (failed 0)"), "{ctx}");
    assert!(out.contains("0 calls, 0 server txns, 0 client txns, 0 timers"), "{ctx}");
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(report.join("summary.json")).expect("summary.json"))
            .expect("summary.json parses");
    assert_eq!(summary["total"]["calls"]["completed"], 750, "{ctx}");
    let samples = fs::read_to_string(report.join("rss.csv")).expect("rss.csv").lines().count();
    assert!(samples >= 15, "RSS sampled {samples} times: {ctx}");
}

/// `--metrics ADDR` serves Prometheus text: after 200 OPTIONS, a scrape
/// shows them by method, the 2xx sent, and a service-time summary that
/// counted every datagram; other paths get 404.
#[test]
fn prometheus_endpoint_serves_counters_and_summaries() {
    use std::io::{Read, Write};
    let dir = scratch("prometheus");
    let server = Server::start(&dir, LOOPBACK4, &["--shards", "2", "--metrics", "127.0.0.1:0"]);
    let err = dir.join("server.err");
    let deadline = Instant::now() + Duration::from_secs(10);
    let metrics: SocketAddr = loop {
        let log = fs::read_to_string(&err).unwrap_or_default();
        if let Some(at) = log.split("metrics at http://").nth(1) {
            break at.split('/').next().expect("address").parse().expect("metrics address");
        }
        assert!(Instant::now() < deadline, "no metrics address in: {log}");
        std::thread::sleep(Duration::from_millis(20));
    };
    let sipp =
        run_sipp(&dir, &server, "uac_options.xml", &["-m", "200", "-r", "200"], Duration::from_secs(40));
    sipp.assert_all_successful(200);
    let get = |path: &str| {
        let mut s = std::net::TcpStream::connect(metrics).expect("connect to metrics");
        write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nAccept: text/plain\r\n\r\n").expect("send");
        let mut text = String::new();
        s.read_to_string(&mut text).expect("read");
        text
    };
    // Shards publish histograms about once a second: scrape until the
    // last OPTIONS shows (bounded).
    let done = Instant::now() + Duration::from_secs(10);
    let mut text = get("/metrics");
    while !text.contains("sipbench_message_service_seconds_count 200") && Instant::now() < done {
        std::thread::sleep(Duration::from_millis(200));
        text = get("/metrics");
    }
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.contains("Content-Type: text/plain; version=0.0.4"), "{text}");
    for line in [
        "sipbench_requests_received_total{method=\"OPTIONS\"} 200",
        "sipbench_responses_sent_total{class=\"2xx\"} 200",
        "# TYPE sipbench_calls_received_total counter",
        "# TYPE sipbench_active_calls gauge",
        "# TYPE sipbench_message_service_seconds summary",
        "sipbench_message_service_seconds_count 200",
        "sipbench_parse_errors_total{reason=\"truncated\"} 0",
    ] {
        assert!(text.lines().any(|l| l == line), "no line {line:?} in:\n{text}");
    }
    assert!(text.contains("sipbench_message_service_seconds{quantile=\"0.99\"} "), "{text}");
    assert!(get("/other").starts_with("HTTP/1.1 404"));
    server.stop();
}

/// Runs `scripts/<name>.sh` with `args`, the test's server binary and
/// `--report report`, under a time limit; returns its status and stdout
/// (stdout and stderr are kept as `<name>.out` / `<name>.err` in `dir`).
fn run_script(dir: &Path, name: &str, args: &[&str], report: &Path, limit: Duration) -> (ExitStatus, String) {
    require_sipp();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scripts/{name}.sh"));
    let (out, err) = (dir.join(format!("{name}.out")), dir.join(format!("{name}.err")));
    let mut child = Command::new("bash")
        .arg(&script)
        .args(args)
        .arg("--server")
        .arg(SERVER_BIN)
        .arg("--report")
        .arg(report)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out).expect("script stdout"))
        .stderr(fs::File::create(&err).expect("script stderr"))
        .spawn()
        .unwrap_or_else(|e| panic!("run {}: {e}", script.display()));
    let status = wait_with_limit(&mut child, limit)
        .unwrap_or_else(|| panic!("{name}.sh ran past {limit:?}: {}", tail(&err, 2000)));
    (status, fs::read_to_string(&out).expect("script output"))
}

/// The main job in its short mode: `scripts/bench.sh --quick` (300 calls
/// at 200/s held 1 s) against the server under test. It must succeed and
/// print SIPp's outcome beside the server's, the latency table, CPU per
/// call, peak RSS and the report files and plots it wrote.
#[test]
fn bench_script_quick_run_succeeds() {
    let dir = scratch("bench");
    let report = dir.join("report");
    let port = free_ports(LOOPBACK4).server.to_string();
    let args = ["--quick", "--calls", "300", "--port", &port];
    let (status, out) = run_script(&dir, "bench", &args, &report, Duration::from_secs(120));
    let ctx = format!("{out}\nstderr: {}", tail(&dir.join("bench.err"), 3000));
    assert!(status.success(), "bench.sh failed: {ctx}");
    let row =
        out.lines().find(|l| l.starts_with("successful / completed")).unwrap_or_else(|| panic!("{ctx}"));
    assert_eq!(row.split_whitespace().skip(3).collect::<Vec<_>>(), ["300", "300"], "{ctx}");
    for want in ["latency (ms)", "call_setup", "message_service", "server CPU per call", "server peak RSS"] {
        assert!(out.contains(want), "no {want:?}: {ctx}");
    }
    let plots = out.lines().find(|l| l.starts_with("plots")).unwrap_or_else(|| panic!("{ctx}"));
    for file in ["latency.svg", "timeline.svg"] {
        assert!(plots.contains(file), "{plots}");
        assert!(report.join(file).is_file(), "{file} missing");
    }
    assert!(report.join("call_setup.hgrm").is_file() && report.join("summary.json").is_file());
}

/// The G.711 recording Debian's sip-tester ships (236 RTP packets).
const PCAP: &str = "/usr/share/sip-tester/g711a.pcap";
const PCAP_PACKETS: u64 = 236;

/// SIPp plays RTP into every call (`play_pcap_audio`) and the server in
/// `--media echo` reflects each packet from the port of its SDP answer.
#[test]
fn sipp_rtp_is_echoed_and_counted() {
    let dir = scratch("media_echo");
    let media = ["--media", "echo", "--rtp-ports", "20000-20199"];
    let server = Server::start(&dir, LOOPBACK4, &[&media[..], &["--shards", "2"]].concat());
    let sipp = run_sipp(
        &dir,
        &server,
        "uac_call_rtp.xml",
        &["-m", "10", "-r", "5", "-key", "pcap", PCAP],
        Duration::from_secs(60),
    );
    let s = server.stop();
    sipp.assert_all_successful(10);
    assert_eq!((s.media("streams_opened"), s.media("streams_closed")), (10, 10), "{}", s.stdout);
    let (rx, tx) = (s.media("packets_in"), s.media("packets_out"));
    assert!((10 * PCAP_PACKETS * 99 / 100..=10 * PCAP_PACKETS).contains(&rx), "{rx} received; {}", s.stdout);
    assert_eq!(tx, rx, "every packet echoed; {}", s.stdout);
    assert_eq!((s.media("malformed"), s.media("duplicates")), (0, 0), "{}", s.stdout);
    assert!(s.stdout.contains("media streams    10 opened"), "{}", s.stdout);
    // Each echo's time in the media thread is in the latency report.
    assert_eq!(s.json["latency_ms"]["media_echo"]["count"].as_u64(), Some(tx), "{}", s.json["latency_ms"]);
    assert!(s.stdout.contains("media_echo"), "{}", s.stdout);
    assert!(dir.join("report").join("media_echo.hgrm").exists());
}

/// `--media play` sends paced G.711 to SIPp, whose `-rtp_echo` reflects
/// it: the server receives its own stream back with no gap or reorder.
#[test]
fn play_mode_stream_comes_back_in_sequence() {
    let dir = scratch("media_play");
    let server = Server::start(&dir, LOOPBACK4, &["--media", "play", "--rtp-ports", "20400-20599"]);
    let sipp = run_sipp(
        &dir,
        &server,
        "uac_call.xml",
        &["-m", "6", "-r", "6", "-d", "3000", "-rtp_echo"],
        Duration::from_secs(40),
    );
    let s = server.stop();
    sipp.assert_all_successful(6);
    let (tx, rx) = (s.media("packets_out"), s.media("packets_in"));
    // 3 s of calls at 50 packets/s: about 150 each.
    assert!(tx >= 6 * 100, "{tx} sent; {}", s.stdout);
    assert!(rx >= tx * 95 / 100, "{rx} of {tx} came back; {}", s.stdout);
    assert_eq!((s.media("lost"), s.media("late"), s.media("duplicates")), (0, 0, 0), "{}", s.stdout);
}

/// Five port pairs, twenty calls at once: the calls beyond the pairs get
/// 503 with a reason naming the cause, the others complete, and every
/// pair is free again afterwards.
#[test]
fn rtp_port_exhaustion_gets_503_and_ports_return() {
    let dir = scratch("media_ports");
    let server = Server::start(&dir, LOOPBACK4, &["--media", "sink", "--rtp-ports", "20200-20209"]);
    let sipp = run_sipp(
        &dir,
        &server,
        "uac_call_or_503.xml",
        &["-m", "20", "-r", "40", "-d", "2000"],
        Duration::from_secs(40),
    );
    let s = server.stop();
    sipp.assert_all_successful(20);
    let (refused, answered) = (sipp.count("_503_Recv"), sipp.count("4_200_Recv"));
    assert_eq!(refused + answered, 20);
    assert!(answered >= 5 && refused >= 10, "{answered} answered, {refused} refused: {}", sipp.screen);
    assert_eq!(s.total("/calls/media_refused"), refused, "{}", s.stdout);
    assert_eq!(s.media("streams_opened"), answered, "{}", s.stdout);
    assert_eq!(s.media("streams_closed"), answered, "{}", s.stdout);
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
    for port in (20200..20209).step_by(2) {
        assert!(sipbench::media::bind_pair(LOOPBACK4, port).is_ok(), "pair {port} still held");
    }
}

/// No RTP at all: with `--media-timeout-ms` the server ends each call with
/// a BYE and counts it as a media timeout.
#[test]
fn silent_calls_hang_up_on_media_timeout() {
    let dir = scratch("media_timeout");
    let args = ["--media", "sink", "--rtp-ports", "20600-20699", "--media-timeout-ms", "500"];
    let server = Server::start(&dir, LOOPBACK4, &args);
    let sipp =
        run_sipp(&dir, &server, "uac_server_bye.xml", &["-m", "10", "-r", "10"], Duration::from_secs(30));
    let s = server.stop();
    sipp.assert_all_successful(10);
    assert_eq!(sipp.count("_BYE_Recv"), 10);
    assert_eq!(s.total("/calls/failed_by_reason/media_timeout"), 10, "{}", s.stdout);
    assert_eq!(s.media("timeouts"), 10, "{}", s.stdout);
}
