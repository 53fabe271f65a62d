//! The RTP relay pool on loopback without SIP: a test client sends known
//! streams and checks echo, play pacing, hold, bridge, RTCP, timeouts and
//! the RFC 3550 statistics the pool reports when a stream closes.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use sipbench::media::{
    MediaConfig, MediaEvent, MediaEventKind, MediaMode, MediaPool, ReportBlock, StreamCommand, StreamReport,
    bind_pair, parse_rtcp, parse_rtp, write_receiver_report, write_rtp_header,
};

const LO: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

struct Rig {
    pool: MediaPool,
    events: Arc<Mutex<Vec<MediaEvent>>>,
}

fn rig(mode: MediaMode, ports: (u16, u16), timeout: Option<Duration>) -> Rig {
    let events: Arc<Mutex<Vec<MediaEvent>>> = Arc::default();
    let sink = events.clone();
    let cfg = MediaConfig { threads: 2, mode, ports, timeout, cores: Vec::new() };
    let pool = MediaPool::start(&cfg, Arc::new(move |e| sink.lock().push(e))).unwrap();
    Rig { pool, events }
}

impl Rig {
    /// Takes a pair, binds it and opens a stream; returns our RTP address.
    fn open(&self, id: u64, remote: Option<SocketAddr>) -> SocketAddr {
        let port = self.pool.open_on_free_pair(LO, id, remote, 0).expect("a free pair");
        SocketAddr::new(LO, port)
    }

    fn close(&self, port: u16) -> StreamReport {
        self.pool.submit(StreamCommand::Close { local_port: port });
        let until = Instant::now() + Duration::from_secs(5);
        while Instant::now() < until {
            let found = self.events.lock().iter().find_map(|e| match &e.kind {
                MediaEventKind::Closed(r) if e.local_port == port => Some(*r),
                _ => None,
            });
            if let Some(r) = found {
                return r;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("no close report for {port}");
    }
}

fn client() -> UdpSocket {
    let s = UdpSocket::bind((LO, 0)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
    s
}

fn rtp(seq: u16, ts: u32) -> Vec<u8> {
    let mut h = [0u8; 12];
    write_rtp_header(&mut h, 0, false, seq, ts, 0x5eed);
    let mut p = h.to_vec();
    p.extend_from_slice(&[0xff; 160]);
    p
}

/// Reads until `quiet` passes with nothing (or 3 s in all), returning
/// what came.
fn drain(sock: &UdpSocket, quiet: Duration) -> Vec<Vec<u8>> {
    sock.set_read_timeout(Some(quiet)).unwrap();
    let until = Instant::now() + Duration::from_secs(3);
    let mut got = Vec::new();
    let mut buf = [0u8; 2048];
    while let Ok((n, _)) = sock.recv_from(&mut buf) {
        got.push(buf[..n].to_vec());
        if Instant::now() > until {
            break;
        }
    }
    got
}

/// The next datagram, if one comes within 1 s.
fn next_packet(sock: &UdpSocket) -> Option<Vec<u8>> {
    sock.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
    let mut buf = [0u8; 2048];
    sock.recv_from(&mut buf).ok().map(|(n, _)| buf[..n].to_vec())
}

#[test]
fn echo_reflects_every_good_packet_and_counts_loss_reorder_duplicates() {
    let r = rig(MediaMode::Echo, (20_700, 20_719), None);
    let free_at_start = r.pool.ports().free();
    let to = r.open(1, None);
    let c = client();
    // 0..100 with 10, 11 and 50 missing, 21 before 20, 30 twice, and junk.
    let mut order: Vec<u16> = (0..100).filter(|q| ![10, 11, 50].contains(q)).collect();
    let i20 = order.iter().position(|&q| q == 20).unwrap();
    order.swap(i20, i20 + 1);
    let i30 = order.iter().position(|&q| q == 30).unwrap();
    order.insert(i30 + 1, 30);
    for (n, q) in order.iter().enumerate() {
        c.send_to(&rtp(*q, u32::from(*q) * 160), to).unwrap();
        if n % 25 == 0 {
            c.send_to(b"not rtp", to).unwrap();
        }
        std::thread::sleep(Duration::from_micros(300));
    }
    let echoed = drain(&c, Duration::from_millis(400));
    assert_eq!(echoed.len(), order.len(), "every good packet comes back, junk does not");
    let seqs: Vec<u16> = echoed.iter().map(|p| parse_rtp(p).unwrap().seq).collect();
    assert_eq!(seqs, order, "echoed unchanged and in order");
    let rep = r.close(to.port());
    assert_eq!((rep.packets_in, rep.packets_out), (98, 98));
    assert_eq!((rep.lost, rep.late, rep.duplicates, rep.malformed), (3, 1, 1, 4));
    assert!(rep.mos > 3.5 && rep.mos <= 4.5, "{}", rep.mos);
    // The pair went back only after the sockets closed: it binds again.
    assert_eq!(r.pool.ports().free(), free_at_start);
    drop(bind_pair(LO, to.port()).expect("the closed pair is free again"));
    let t = r.pool.totals();
    assert_eq!((t.streams_opened, t.streams_closed, t.lost, t.malformed), (1, 1, 3, 4));
}

#[test]
fn play_sends_paced_g711_with_running_sequence_and_stops_on_hold() {
    let r = rig(MediaMode::Play, (20_720, 20_739), None);
    let c = client();
    let ours = r.open(2, Some(c.local_addr().unwrap()));
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 512];
    while got.len() < 25 {
        let (n, from) = c.recv_from(&mut buf).expect("paced packets arrive");
        assert_eq!(from, ours, "sent from our RTP port (symmetric RTP)");
        got.push(parse_rtp(&buf[..n]).unwrap());
        assert_eq!(n, 12 + 160);
    }
    let took = started.elapsed();
    for w in got.windows(2) {
        assert_eq!(w[1].seq, w[0].seq.wrapping_add(1));
        assert_eq!(w[1].timestamp, w[0].timestamp.wrapping_add(160));
        assert_eq!((w[1].payload_type, w[1].ssrc), (0, w[0].ssrc));
    }
    // 25 packets at 20 ms: paced, not a burst (generous bound for CI).
    assert!(took >= Duration::from_millis(400), "25 packets in {took:?}");
    r.pool.submit(StreamCommand::Direction { local_port: ours.port(), send: false });
    std::thread::sleep(Duration::from_millis(100));
    drain(&c, Duration::from_millis(50));
    c.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
    assert!(c.recv_from(&mut buf).is_err(), "nothing is sent while held");
    r.pool.submit(StreamCommand::Direction { local_port: ours.port(), send: true });
    let first = next_packet(&c).expect("sending again after resume");
    let h = parse_rtp(&first).unwrap();
    let last = got.last().unwrap();
    assert!(h.marker, "the first packet after resume is marked");
    // Sequence numbers run on; the timestamp kept time through the hold.
    assert!(h.seq.wrapping_sub(last.seq) < 10);
    assert!(h.timestamp.wrapping_sub(last.timestamp) >= 160 * 15);
    let rep = r.close(ours.port());
    assert!(rep.packets_out >= 25);
}

#[test]
fn bridge_cross_connects_two_streams() {
    let r = rig(MediaMode::Bridge, (20_740, 20_759), None);
    let (a, b) = (client(), client());
    let to_a = r.open(10, Some(a.local_addr().unwrap()));
    let to_b = r.open(11, Some(b.local_addr().unwrap()));
    std::thread::sleep(Duration::from_millis(50));
    for q in 0..20u16 {
        a.send_to(&rtp(q, 0), to_a).unwrap();
        b.send_to(&rtp(1000 + q, 0), to_b).unwrap();
    }
    let at_b = drain(&b, Duration::from_millis(300));
    let at_a = drain(&a, Duration::from_millis(100));
    assert_eq!(at_b.len(), 20, "A's media reaches B");
    assert_eq!(at_a.len(), 20, "B's media reaches A");
    assert_eq!(parse_rtp(&at_b[0]).unwrap().seq, 0);
    assert_eq!(parse_rtp(&at_a[0]).unwrap().seq, 1000);
    let ra = r.close(to_a.port());
    assert_eq!((ra.packets_in, ra.packets_out), (20, 20));
}

#[test]
fn rtcp_reports_go_both_ways() {
    let r = rig(MediaMode::Echo, (20_760, 20_779), None);
    let c = client();
    let to = r.open(3, None);
    let rtcp_to = SocketAddr::new(LO, to.port() + 1);
    let c_rtcp = client();
    for q in 0..50u16 {
        c.send_to(&rtp(q * 2, u32::from(q) * 320), to).unwrap();
    }
    // Their RR about what we echo: a quarter lost, 4 lost in all.
    let block =
        ReportBlock { ssrc: 0x5eed, fraction_lost: 64, cumulative_lost: 4, jitter: 80, ..Default::default() };
    let mut buf = [0u8; 64];
    let n = write_receiver_report(&mut buf, 77, &block);
    c_rtcp.send_to(&buf[..n], rtcp_to).unwrap();
    c_rtcp.send_to(b"\x81\xc9junk", rtcp_to).unwrap();
    // Our RR comes within the randomised first interval (1.25..3.75 s).
    c_rtcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut got = [0u8; 256];
    let (n, _) = c_rtcp.recv_from(&mut got).expect("our receiver report");
    let rr = parse_rtcp(&got[..n]).unwrap();
    let ours = rr.block.unwrap();
    assert_eq!((rr.receiver_reports, ours.ssrc), (1, 0x5eed));
    assert_eq!(ours.highest_seq, 98);
    assert_eq!(ours.cumulative_lost, 49, "every odd sequence number is missing");
    let rep = r.close(to.port());
    assert_eq!((rep.rtcp_in, rep.rtcp_out, rep.malformed), (1, 1, 1));
    assert_eq!((rep.far_fraction_lost, rep.far_cumulative_lost), (64, 4));
    assert!((rep.far_jitter_ms - 10.0).abs() < 1e-9);
}

#[test]
fn silence_raises_one_timeout_event() {
    let r = rig(MediaMode::Sink, (20_780, 20_799), Some(Duration::from_millis(200)));
    let to = r.open(4, None);
    let until = Instant::now() + Duration::from_secs(5);
    while Instant::now() < until && !r.events.lock().iter().any(|e| e.kind == MediaEventKind::Timeout) {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(300));
    let timeouts: Vec<u64> =
        r.events.lock().iter().filter(|e| e.kind == MediaEventKind::Timeout).map(|e| e.id).collect();
    assert_eq!(timeouts, vec![4], "one timeout for the silent stream");
    let rep = r.close(to.port());
    assert_eq!(rep.packets_out, 0, "sink sends nothing");
    assert_eq!(r.pool.totals().timeouts, 1);
}

/// `scripts/rtp-load.sh`, the RTP benchmark, on a small load: it builds,
/// relays every paced packet and writes its JSON and .hgrm report.
#[test]
fn rtp_load_script_quick_run_writes_its_report() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = std::env::temp_dir().join(format!("sipbench-rtp-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&report);
    let status = std::process::Command::new("bash")
        .arg(root.join("scripts/rtp-load.sh"))
        .args(["--streams", "40", "--seconds", "1", "--blast-seconds", "1", "--ports", "20800-20899"])
        .arg("--report")
        .arg(&report)
        .current_dir(root)
        .status()
        .expect("run rtp-load.sh");
    assert!(status.success(), "rtp-load.sh failed: {status}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report.join("rtp_load.json")).unwrap()).unwrap();
    let sent = doc["paced"]["sent"].as_u64().unwrap();
    assert!(sent >= 40 * 40, "{sent} packets in a 1 s paced phase of 40 streams");
    assert_eq!(doc["paced"]["echoed"].as_u64(), Some(sent));
    assert!(doc["blast"]["relayed"].as_u64().unwrap() > 0);
    let hgrm = std::fs::read_to_string(report.join("echo_latency.hgrm")).unwrap();
    assert!(!sipbench::metrics::parse_percentile_distribution(&hgrm).is_empty());
}
