//! Hostile TCP peers while SIPp (`-t t1`) places calls: garbage, a
//! partial message then silence, a partial message then close, a huge
//! Content-Length, 10,000 idle connections, one byte per 100 ms
//! (slowloris), a peer that never reads. The limits hold, each bad
//! connection is closed and counted by cause, every SIPp call succeeds,
//! nothing panics, and memory comes back down once they are gone.
//!
//! Attackers connect from 127.0.0.2–127.0.0.5 (loopback), so the
//! per-source limit they meet is theirs, not SIPp's.

use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

mod common;
use common::sipp_run::*;

const IDLE: usize = 10_000;

/// Raises this process's open-file limit (its children inherit it) so
/// that 10,000 connections fit on both sides.
fn raise_nofile(need: u64) {
    let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit/setrlimit with a valid rlimit out/in pointer.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        // Raising the hard limit needs privilege (CI runs as root).
        lim.rlim_max = lim.rlim_max.max(need);
        lim.rlim_cur = lim.rlim_max;
        assert_eq!(
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim),
            0,
            "cannot raise RLIMIT_NOFILE to {need}: run as root or raise the hard limit (ulimit -Hn)"
        );
    }
}

/// A connection from `source` (a loopback address) to `to`.
fn connect_from(source: &str, to: SocketAddr, rcvbuf: Option<usize>) -> std::io::Result<TcpStream> {
    let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    if let Some(n) = rcvbuf {
        s.set_recv_buffer_size(n)?;
    }
    let src: IpAddr = source.parse().expect("loopback address");
    s.bind(&SocketAddr::new(src, 0).into())?;
    s.connect_timeout(&to.into(), Duration::from_secs(3))?;
    Ok(s.into())
}

fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("server status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS")
}

/// An OPTIONS whose answer is large (60 Via lines, copied back): few of
/// them fill a peer's buffers, so the flood costs the server little.
fn options(n: usize, via: &str) -> String {
    let hops: String = (0..60)
        .map(|i| format!("Via: SIP/2.0/TCP 10.0.{i}.1:5060;branch=z9hG4bK-hop{i}-{n}-padding-padding\r\n"))
        .collect();
    format!(
        "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP {via};branch=z9hG4bK-nr{n}\r\n{hops}\
         From: <sip:a@127.0.0.1>;tag=nr\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: never-reads-{n}\r\n\
         CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
    )
}

#[test]
fn hostile_streams_during_sipp_run() {
    raise_nofile(IDLE as u64 + 2_000);
    let dir = scratch("tcp_hostile");
    let probe = free_ports(LOOPBACK4);
    let tcp = SocketAddr::new(LOOPBACK4, probe.server);
    let listen = format!("tcp:{tcp}");
    let limits = [
        "--max-connections",
        "6000",
        "--max-connections-per-source",
        "3000",
        "--idle-timeout-ms",
        "3000",
        "--message-timeout-ms",
        "1000",
        "--max-output-bytes",
        "65536",
    ];
    let mut args = vec!["--shards", "2", "--listen", &listen];
    args.extend(limits);
    let mut server = Server::start(&dir, LOOPBACK4, &args);
    server.addr = tcp;
    let pid = server.child.as_ref().expect("server").id();
    let view = server.view_from(server.ports);
    let dir2 = dir.clone();
    let sipp = std::thread::spawn(move || {
        let extra = ["-t", "t1", "-m", "3000", "-r", "250", "-l", "1000"];
        run_sipp(&dir2, &view, "uac_call.xml", &extra, Duration::from_secs(90))
    });
    std::thread::sleep(Duration::from_millis(500));

    // Garbage, a huge Content-Length, a partial message then close.
    let head = "INVITE sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.2:9;branch=z9hG4bK-h\r\n\
                From: <sip:a@h>;tag=1\r\nTo: <sip:x@h>\r\nCall-ID: hostile\r\nCSeq: 1 INVITE\r\n";
    let huge = format!("{head}Content-Length: 900000000\r\n\r\n");
    for bytes in [&b"\x16\x03\x01garbage that is no SIP\r\n\r\n"[..], huge.as_bytes()] {
        for _ in 0..10 {
            let mut s = connect_from("127.0.0.2", tcp, None).expect("connect");
            s.write_all(bytes).expect("write");
        }
    }
    let mut truncated = Vec::new();
    for _ in 0..10 {
        let mut s = connect_from("127.0.0.2", tcp, None).expect("connect");
        s.write_all(head.as_bytes()).expect("write");
        truncated.push(s);
    }
    std::thread::sleep(Duration::from_millis(100));
    drop(truncated);
    // A partial message then silence, kept open.
    let mut silent = Vec::new();
    for _ in 0..10 {
        let mut s = connect_from("127.0.0.2", tcp, None).expect("connect");
        s.write_all(head.as_bytes()).expect("write");
        silent.push(s);
    }
    // Slowloris: one byte per 100 ms on a thread of its own.
    let slow = std::thread::spawn(move || {
        let mut s = connect_from("127.0.0.2", tcp, None).expect("connect");
        let started = Instant::now();
        for b in head.as_bytes() {
            if s.write_all(&[*b]).is_err() {
                return started.elapsed(); // closed on us
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        started.elapsed()
    });
    // A peer that sends requests and never reads the answers.
    let reader_less = std::thread::spawn(move || {
        let mut s = connect_from("127.0.0.3", tcp, Some(4096)).expect("connect");
        s.set_write_timeout(Some(Duration::from_millis(500))).expect("timeout");
        let mut sent = 0;
        for n in 0..10_000 {
            if s.write_all(options(n, "127.0.0.3:9").as_bytes()).is_err() {
                break;
            }
            sent += 1;
            if n % 50 == 49 {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        sent
    });
    // 10,000 idle connections: 7,000 from one source (which meets its
    // per-source limit), then 3,000 from another (which meets the total).
    let mut idle = Vec::new();
    let mut refused_at_connect = 0;
    for i in 0..IDLE {
        let source = if i < 7_000 { "127.0.0.4" } else { "127.0.0.5" };
        match connect_from(source, tcp, None) {
            Ok(s) => idle.push(s),
            Err(_) => refused_at_connect += 1,
        }
    }
    let slow_for = slow.join().expect("slowloris thread");
    let requests_sent = reader_less.join().expect("never-reads thread");
    let sipp = sipp.join().expect("sipp thread");
    // Idle timeout (3 s) and message timeout (1 s) close the rest.
    std::thread::sleep(Duration::from_millis(4500));
    drop(idle);
    drop(silent);
    std::thread::sleep(Duration::from_millis(300));
    // Memory: the idle level now, then a second crowd of idle
    // connections comes and goes; what it took comes back.
    let idle_rss = rss_kb(pid);
    let crowd: Vec<TcpStream> = (0..IDLE).filter_map(|_| connect_from("127.0.0.6", tcp, None).ok()).collect();
    std::thread::sleep(Duration::from_millis(500));
    let crowd_rss = rss_kb(pid);
    drop(crowd);
    // Back within 1 MiB once the server has closed them all (checked
    // below); a loaded box may take more than a second to get there.
    let settle = Instant::now() + Duration::from_secs(5);
    let after_rss = loop {
        std::thread::sleep(Duration::from_millis(250));
        let rss = rss_kb(pid);
        if rss <= idle_rss + 1024 || Instant::now() > settle {
            break rss;
        }
    };
    let s = server.stop();
    let err = std::fs::read_to_string(dir.join("server.err")).unwrap_or_default();
    assert!(!err.contains("panicked"), "{err}");
    sipp.assert_all_successful(3000);
    assert_eq!(s.total("/calls/completed"), 3000, "{}", s.stdout);
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
    let c = |k: &str| s.total(&format!("/connections/{k}"));
    let ctx = format!("{}\nslowloris lasted {slow_for:?}, never-reads sent {requests_sent}", s.stdout);
    assert!(c("closed_by_cause/framing") >= 20, "garbage and huge Content-Length: {ctx}");
    assert!(c("closed_by_cause/truncated") >= 10, "{ctx}");
    assert!(c("closed_by_cause/message_timeout") >= 11, "silent partials and slowloris: {ctx}");
    assert!(slow_for < Duration::from_secs(5), "slowloris cut off after ~1 s: {ctx}");
    // The peer that never reads; answers still due to it then go to its
    // Via address (RFC 3261 §18.2.2), where nothing listens.
    assert!(c("closed_by_cause/output_full") >= 1, "the peer that never reads: {ctx}");
    assert!(c("refused_by_cause/per_source_limit") > 0, "{ctx}");
    assert!(c("refused_by_cause/total_limit") > 0, "{ctx}");
    // Every idle connection accepted during the run is closed by the idle
    // timeout (the second crowd, 3,000 by the per-source limit, closes
    // itself).
    let accepted = c("accepted/tcp") - 3_000;
    assert!(accepted <= 6_000 + 40, "the total limit held: {accepted} accepted; {ctx}");
    assert!(c("closed_by_cause/idle_timeout") >= accepted - 100, "{ctx}");
    assert!(c("closed_by_cause/peer_closed") >= 3_000, "{ctx}");
    assert_eq!(c("open/tcp"), 0, "{ctx}");
    let _ = refused_at_connect;
    // A crowd of idle connections stays within the memory budget (8 KiB
    // each), and once it has gone RSS is back within 1 MiB of the idle
    // level: nothing accumulates per connection (the allocator keeps some
    // freed pages for reuse, so "back" is within a margin, not exact).
    let grew = crowd_rss.saturating_sub(idle_rss);
    assert!(grew <= 3_000 * 8, "3,000 idle connections took {grew} kB");
    assert!(
        after_rss <= idle_rss + 1024,
        "RSS idle {idle_rss} kB, with a crowd of idle connections {crowd_rss} kB, after {after_rss} kB"
    );
}
