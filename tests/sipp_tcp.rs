//! `sipbench-server` over TCP (RFC 3261 §18): real SIPp with one
//! connection for every call (`-t t1`) and one per call (`-t tn`), the
//! server's BYE over the caller's connection, and a caller whose
//! connection is gone when the server hangs up. Every run is bounded; the
//! server is stopped by PID.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use sipbench::ParseLimits;
use sipbench::transport::stream::{Framed, Framer};

mod common;
use common::sipp_run::*;

/// A server listening on UDP and TCP on the same port (`extra` flags).
fn tcp_server(dir: &std::path::Path, extra: &[&str]) -> Server {
    // Server::start gives the UDP address; TCP takes the same port.
    let mut args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    let probe = free_ports(LOOPBACK4);
    args.extend(["--listen".into(), format!("tcp:127.0.0.1:{}", probe.server)]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut server = Server::start(dir, LOOPBACK4, &args);
    server.addr = SocketAddr::new(LOOPBACK4, probe.server);
    server
}

fn conns(s: &Summary, key: &str) -> u64 {
    s.total(&format!("/connections/{key}"))
}

/// SIPp `-t t1`: 5,000 calls at 500/s over one connection.
#[test]
fn t1_five_thousand_calls_at_500_cps() {
    let dir = scratch("tcp_t1");
    let server = tcp_server(&dir, &["--shards", "2"]);
    let extra = ["-t", "t1", "-m", "5000", "-r", "500", "-l", "2000", "-d", "100"];
    let sipp = run_sipp(&dir, &server, "uac_call.xml", &extra, Duration::from_secs(100));
    let s = server.stop();
    sipp.assert_all_successful(5000);
    assert_eq!(s.total("/calls/received"), 5000, "{}", s.stdout);
    assert_eq!(s.total("/calls/completed"), 5000, "{}", s.stdout);
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
    assert_eq!(conns(&s, "accepted/tcp"), 1, "one connection for every call: {}", s.stdout);
    // INVITE, ACK and BYE of each call. Over TCP only our 2xx is resent
    // (RFC 3261 §13.3.1.4), when its ACK is T1 late on a loaded box, and
    // SIPp answers each with one more ACK, which is absorbed (or counted
    // stray when it comes after the call ended).
    let dup_in = s.total("/messages/retransmissions_in") + s.total("/drops/stray_acks");
    let dup_out = s.total("/messages/retransmissions_out");
    assert_eq!(conns(&s, "messages_in"), 15_000 + dup_in, "{}", s.stdout);
    assert!(dup_in <= dup_out && dup_out < 5000, "{}", s.stdout);
    assert!(sipp.stat("Retransmissions(C)") <= dup_out, "SIPp resent over TCP: {}", sipp.screen);
    assert_eq!(s.total("/datagrams_in"), 0, "nothing came over UDP");
}

/// SIPp `-t tn`: a connection per call, 2,000 calls.
#[test]
fn tn_two_thousand_calls() {
    let dir = scratch("tcp_tn");
    let server = tcp_server(&dir, &["--shards", "2"]);
    let extra = ["-t", "tn", "-m", "2000", "-r", "400", "-l", "1000", "-max_socket", "4000"];
    let sipp = run_sipp(&dir, &server, "uac_call.xml", &extra, Duration::from_secs(90));
    let s = server.stop();
    sipp.assert_all_successful(2000);
    assert_eq!(s.total("/calls/completed"), 2000, "{}", s.stdout);
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
    assert_eq!(conns(&s, "accepted/tcp"), 2000, "a connection per call: {}", s.stdout);
    assert_eq!(conns(&s, "open/tcp"), 0, "all closed at exit");
    assert_eq!(conns(&s, "closed_by_cause/framing"), 0);
}

/// The server hangs up (`--duration-ms`): its BYE goes over the caller's
/// own connection; no connection is opened.
#[test]
fn server_bye_over_the_callers_connection() {
    let dir = scratch("tcp_server_bye");
    let server = tcp_server(&dir, &["--shards", "2", "--duration-ms", "200"]);
    let extra = ["-t", "t1", "-m", "500", "-r", "200", "-l", "500"];
    let sipp = run_sipp(&dir, &server, "uac_server_bye.xml", &extra, Duration::from_secs(60));
    let s = server.stop();
    sipp.assert_all_successful(500);
    assert_eq!(s.total("/calls/completed"), 500, "{}", s.stdout);
    assert_eq!(s.total("/messages/requests_out_by_method/BYE"), 500, "{}", s.stdout);
    assert_eq!(conns(&s, "opened/tcp"), 0, "no new connection: {}", s.stdout);
    assert_eq!(conns(&s, "accepted/tcp"), 1, "{}", s.stdout);
}

/// Reads from `stream` until one whole message is framed.
fn read_message(stream: &mut TcpStream, framer: &mut Framer) -> String {
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        assert!(Instant::now() < deadline, "no message in 10 s");
        let n = stream.read(&mut buf).expect("read");
        assert!(n > 0, "connection closed while waiting for a message");
        let mut got = None;
        framer
            .push(&buf[..n], &ParseLimits::default(), &mut |f| {
                if let Framed::Message(m) = f {
                    got.get_or_insert(String::from_utf8_lossy(&m).into_owned());
                }
            })
            .expect("framing");
        if let Some(m) = got {
            return m;
        }
    }
}

fn header<'a>(msg: &'a str, name: &str) -> &'a str {
    msg.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(':')))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {name} in {msg}"))
}

/// One call over TCP whose connection the caller closes after its ACK;
/// the server hangs up 300 ms later. `contact` is where the caller says it
/// can be reached.
fn call_then_drop_connection(server: SocketAddr, contact: SocketAddr, n: u32) {
    let mut s = TcpStream::connect(server).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let sdp =
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n";
    let head = |method: &str, branch: &str, to_tag: &str| {
        format!(
            "{method} sip:svc@{server};transport=tcp SIP/2.0\r\nVia: SIP/2.0/TCP {contact};branch=z9hG4bK-{branch}\r\n\
             From: <sip:uac@127.0.0.1>;tag=u{n}\r\nTo: <sip:svc@127.0.0.1>{to_tag}\r\nCall-ID: lost-{n}@127.0.0.1\r\n\
             Contact: <sip:uac@{contact};transport=tcp>\r\nMax-Forwards: 70\r\n"
        )
    };
    let invite = head("INVITE", &format!("i{n}"), "")
        + &format!(
            "CSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{sdp}",
            sdp.len()
        );
    s.write_all(invite.as_bytes()).unwrap();
    let mut framer = Framer::default();
    let ok = read_message(&mut s, &mut framer);
    assert!(ok.starts_with("SIP/2.0 200"), "{ok}");
    let tag = header(&ok, "To").split(";tag=").nth(1).expect("a To tag").to_string();
    let ack =
        head("ACK", &format!("a{n}"), &format!(";tag={tag}")) + "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n";
    s.write_all(ack.as_bytes()).unwrap();
    drop(s);
}

/// The caller's connection closes after the ACK. Our BYE cannot use it:
/// the server opens a new connection to the caller's Contact, and the call
/// completes there. When nothing listens at the Contact, the call ends at
/// once as a counted transport failure (not after Timer F's 32 s).
#[test]
fn caller_connection_lost_mid_call() {
    let dir = scratch("tcp_lost");
    let server = tcp_server(&dir, &["--shards", "2", "--duration-ms", "300"]);
    let listener = TcpListener::bind("127.0.0.1:0").expect("the caller's listener");
    let contact = listener.local_addr().unwrap();
    call_then_drop_connection(server.addr, contact, 1);
    listener.set_nonblocking(false).unwrap();
    let (mut back, _) = listener.accept().expect("the server connects back for its BYE");
    back.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let bye = read_message(&mut back, &mut Framer::default());
    assert!(bye.starts_with("BYE "), "{bye}");
    assert!(header(&bye, "Via").starts_with("SIP/2.0/TCP "), "{bye}");
    let mut ok = String::from("SIP/2.0 200 OK\r\n");
    for name in ["Via", "From", "To", "Call-ID", "CSeq"] {
        ok += &format!("{name}: {}\r\n", header(&bye, name));
    }
    ok += "Content-Length: 0\r\n\r\n";
    back.write_all(ok.as_bytes()).unwrap();
    // Second call: nobody at its Contact any more (and the connection the
    // first BYE opened is gone too, or the second would reuse it).
    std::thread::sleep(Duration::from_millis(200));
    drop(back);
    drop(listener);
    let started = Instant::now();
    call_then_drop_connection(server.addr, contact, 2);
    std::thread::sleep(Duration::from_millis(1500));
    let s = server.stop();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(s.total("/calls/completed"), 1, "{}", s.stdout);
    assert_eq!(s.total("/calls/failed"), 1, "the second call: {}", s.stdout);
    assert_eq!(s.total("/calls/failed_by_reason/transport"), 1, "{}", s.stdout);
    assert_eq!(s.total("/calls/active"), 0, "ended at once, not left to Timer F: {}", s.stdout);
    // One connection for the first BYE, one attempt for the second.
    assert_eq!(conns(&s, "opened/tcp"), 2, "{}", s.stdout);
    assert_eq!(conns(&s, "closed_by_cause/connect_failed"), 1, "{}", s.stdout);
}
