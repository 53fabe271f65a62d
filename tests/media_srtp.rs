//! The relay pool with SRTP on loopback sockets: a test client protects
//! with the key the stream expects from its peer and checks what comes
//! back with the stream's own key. Echo, tampering, replays and strangers
//! (dropped and counted, never echoed), SRTCP reports, bridge between two
//! differently keyed legs, play, and re-keying mid-stream.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use sipbench::media::{
    MasterKey, MediaConfig, MediaEvent, MediaEventKind, MediaMode, MediaPool, OpenStream, SRTP_MAX_TRAILER,
    SrtpContext, SrtpKeys, SrtpSuite, StreamCommand, StreamReport, bind_pair, parse_rtcp, parse_rtp,
    write_rtp_header,
};

const LO: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

struct Rig {
    pool: MediaPool,
    events: Arc<Mutex<Vec<MediaEvent>>>,
}

/// The two keys of a stream as the test client sees them: it sends with
/// `theirs` (the stream's inbound) and reads with `ours` (its outbound).
struct Keys {
    theirs: MasterKey,
    ours: MasterKey,
}

impl Keys {
    fn new(suite: SrtpSuite) -> Keys {
        Keys { theirs: MasterKey::generate(suite).unwrap(), ours: MasterKey::generate(suite).unwrap() }
    }

    fn for_stream(&self) -> SrtpKeys {
        SrtpKeys::new(vec![self.theirs.clone()], self.ours.clone()).unwrap()
    }

    /// The client's (sender, receiver) contexts.
    fn client(&self) -> (SrtpContext, SrtpContext) {
        (
            SrtpContext::new(std::slice::from_ref(&self.theirs)).unwrap(),
            SrtpContext::new(std::slice::from_ref(&self.ours)).unwrap(),
        )
    }
}

fn rig(mode: MediaMode, ports: (u16, u16)) -> Rig {
    let events: Arc<Mutex<Vec<MediaEvent>>> = Arc::default();
    let sink = events.clone();
    let cfg = MediaConfig { threads: 2, mode, ports, timeout: None, cores: Vec::new() };
    let pool = MediaPool::start(&cfg, Arc::new(move |e| sink.lock().push(e))).unwrap();
    Rig { pool, events }
}

impl Rig {
    fn open(&self, id: u64, remote: Option<SocketAddr>, srtp: Option<SrtpKeys>) -> SocketAddr {
        let port = self.pool.ports().acquire().expect("a free pair");
        let pair = bind_pair(LO, port).unwrap();
        let open = OpenStream { remote, srtp, ..OpenStream::on_pair(id, 0, port, pair) };
        self.pool.submit(StreamCommand::Open(open));
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

fn rtp(seq: u16, ssrc: u32) -> Vec<u8> {
    let mut h = [0u8; 12];
    write_rtp_header(&mut h, 0, false, seq, u32::from(seq) * 160, ssrc);
    let mut p = h.to_vec();
    p.extend((0..160).map(|i| (i as u8) ^ (seq as u8)));
    p
}

fn protect(c: &mut SrtpContext, plain: &[u8]) -> Vec<u8> {
    let mut buf = plain.to_vec();
    buf.resize(plain.len() + SRTP_MAX_TRAILER, 0);
    let n = c.protect_rtp(&mut buf, plain.len()).unwrap();
    buf.truncate(n);
    buf
}

/// Everything that arrives until `quiet` passes with nothing.
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

fn decrypt_all(rx: &mut SrtpContext, packets: &[Vec<u8>]) -> Vec<Vec<u8>> {
    packets
        .iter()
        .map(|p| {
            let mut p = p.clone();
            let n = rx.unprotect_rtp(&mut p).expect("the echo authenticates with the stream's key");
            p.truncate(n);
            p
        })
        .collect()
}

#[test]
fn srtp_echo_decrypts_with_our_key_and_drops_what_does_not_authenticate() {
    for (i, suite) in SrtpSuite::ALL.into_iter().enumerate() {
        let r = rig(MediaMode::Echo, (21_000 + 20 * i as u16, 21_019 + 20 * i as u16));
        let keys = Keys::new(suite);
        let to = r.open(1, None, Some(keys.for_stream()));
        let (mut tx, mut rx) = keys.client();
        let c = client();
        let sent: Vec<Vec<u8>> =
            (0..40u16).map(|q| protect(&mut tx, &rtp(65_520u16.wrapping_add(q), 0x5eed))).collect();
        let (mut stranger, _) = Keys::new(suite).client();
        for (n, p) in sent.iter().enumerate() {
            // One flipped bit in the payload, the header, the tag (before
            // the packet itself: after it, its index would be a replay).
            if n % 10 == 3 {
                for at in [40, 1, p.len() - 1] {
                    let mut bad = p.clone();
                    bad[at] ^= 0x10;
                    c.send_to(&bad, to).unwrap();
                }
            }
            c.send_to(p, to).unwrap();
            match n % 10 {
                // A replay of what just went.
                1 => c.send_to(p, to).map(drop).unwrap(),
                // A stranger's stream (another key, another SSRC).
                5 => c.send_to(&protect(&mut stranger, &rtp(n as u16, 0xbad)), to).map(drop).unwrap(),
                _ => {}
            }
            std::thread::sleep(Duration::from_micros(300));
        }
        let echoed = drain(&c, Duration::from_millis(400));
        assert_eq!(echoed.len(), sent.len(), "{suite}: only the good packets come back");
        assert!(echoed.iter().all(|e| e.len() == 172 + suite.rtp_tag_len()));
        assert!(echoed.iter().zip(&sent).all(|(e, s)| e != s), "{suite}: re-encrypted with our key");
        let plain = decrypt_all(&mut rx, &echoed);
        let want: Vec<Vec<u8>> = (0..40u16).map(|q| rtp(65_520u16.wrapping_add(q), 0x5eed)).collect();
        assert_eq!(plain, want, "{suite}: the echo is what we sent, across the sequence wrap");
        let rep = r.close(to.port());
        let s = rep.srtp.expect("the report says the stream was encrypted");
        assert_eq!(s.suite, suite);
        assert_eq!((rep.packets_in, rep.packets_out), (40, 40));
        assert_eq!((s.auth_failures, s.replays, s.unknown_ssrc, s.key_expired), (12, 4, 4, 0), "{suite}");
        let t = r.pool.totals();
        assert_eq!(
            (t.srtp_streams, t.srtp_auth_failures, t.srtp_replays, t.srtp_unknown_ssrc),
            (1, 12, 4, 4)
        );
    }
}

#[test]
fn srtcp_both_ways_and_plain_rtp_is_refused_by_an_encrypted_stream() {
    let r = rig(MediaMode::Echo, (21_100, 21_119));
    let keys = Keys::new(SrtpSuite::AesCm128HmacSha1_80);
    let to = r.open(2, None, Some(keys.for_stream()));
    let (mut tx, mut rx) = keys.client();
    let (c, c_rtcp) = (client(), client());
    for q in 0..30u16 {
        c.send_to(&protect(&mut tx, &rtp(q, 0x77)), to).unwrap();
    }
    c.send_to(&rtp(30, 0x77), to).unwrap();
    let mut rr = vec![0x81, 201, 0, 7, 0, 0, 0, 0x77, 0, 0, 0, 0x77];
    rr.extend([0u8; 20]);
    let mut buf = rr.clone();
    buf.resize(rr.len() + SRTP_MAX_TRAILER, 0);
    let n = tx.protect_rtcp(&mut buf, rr.len()).unwrap();
    let rtcp_to = SocketAddr::new(LO, to.port() + 1);
    c_rtcp.send_to(&buf[..n], rtcp_to).unwrap();
    c_rtcp.send_to(&rr, rtcp_to).unwrap();
    assert_eq!(decrypt_all(&mut rx, &drain(&c, Duration::from_millis(300))).len(), 30);
    // Our receiver report comes as SRTCP within the first interval.
    c_rtcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut got = [0u8; 512];
    let (n, _) = c_rtcp.recv_from(&mut got).expect("our receiver report");
    assert!(parse_rtcp(&got[..n]).is_err() || got[8..12] != [0, 0, 0, 0x77], "the report is encrypted");
    let m = rx.unprotect_rtcp(&mut got[..n]).expect("SRTCP with our key");
    let report = parse_rtcp(&got[..m]).unwrap();
    assert_eq!((report.receiver_reports, report.block.unwrap().ssrc), (1, 0x77));
    let rep = r.close(to.port());
    assert_eq!((rep.rtcp_in, rep.rtcp_out, rep.packets_in), (1, 1, 30));
    let s = rep.srtp.unwrap();
    // Plain RTP from the peer's source fails authentication; the plain RR
    // reads as SRTCP index 0, already taken by the real one: a replay.
    assert_eq!((s.auth_failures, s.replays, rep.malformed), (1, 1, 0));
}

#[test]
fn bridge_decrypts_with_each_legs_key_and_encrypts_with_the_others() {
    let r = rig(MediaMode::Bridge, (21_200, 21_219));
    let (ka, kb) = (Keys::new(SrtpSuite::AesCm128HmacSha1_80), Keys::new(SrtpSuite::AeadAes128Gcm));
    let (a, b) = (client(), client());
    let to_a = r.open(10, Some(a.local_addr().unwrap()), Some(ka.for_stream()));
    let to_b = r.open(11, Some(b.local_addr().unwrap()), Some(kb.for_stream()));
    std::thread::sleep(Duration::from_millis(50));
    let ((mut a_tx, mut a_rx), (mut b_tx, mut b_rx)) = (ka.client(), kb.client());
    let (mut a_misdirected, _) = ka.client();
    for q in 0..20u16 {
        a.send_to(&protect(&mut a_tx, &rtp(q, 0xa)), to_a).unwrap();
        b.send_to(&protect(&mut b_tx, &rtp(1000 + q, 0xb)), to_b).unwrap();
        // A's packet sent to B's port with A's key: B's leg refuses it.
        b.send_to(&protect(&mut a_misdirected, &rtp(500 + q, 0xa)), to_b).unwrap();
    }
    let at_b = decrypt_all(&mut b_rx, &drain(&b, Duration::from_millis(300)));
    let at_a = decrypt_all(&mut a_rx, &drain(&a, Duration::from_millis(100)));
    assert_eq!(
        at_b,
        (0..20u16).map(|q| rtp(q, 0xa)).collect::<Vec<_>>(),
        "A's media reaches B under B's key"
    );
    assert_eq!(
        at_a,
        (0..20u16).map(|q| rtp(1000 + q, 0xb)).collect::<Vec<_>>(),
        "and B's reaches A under A's"
    );
    let rb = r.close(to_b.port());
    assert_eq!((rb.packets_in, rb.srtp.unwrap().unknown_ssrc), (20, 20));
    assert_eq!(rb.srtp.unwrap().suite, SrtpSuite::AeadAes128Gcm);
}

#[test]
fn play_is_encrypted_and_a_rekey_mid_stream_switches_both_directions() {
    let r = rig(MediaMode::Play, (21_300, 21_319));
    let old = Keys::new(SrtpSuite::AesCm128HmacSha1_32);
    let c = client();
    let ours = r.open(20, Some(c.local_addr().unwrap()), Some(old.for_stream()));
    let (_, mut old_rx) = old.client();
    let first = decrypt_all(&mut old_rx, &drain(&c, Duration::from_millis(200))[..5]);
    assert!(first.iter().all(|p| p.len() == 172 && parse_rtp(p).unwrap().payload_type == 0));
    // A re-INVITE brings new keys both ways; the stream switches to echo
    // to show the inbound key changed as well.
    let new = Keys::new(SrtpSuite::AesCm128HmacSha1_80);
    r.pool.submit(StreamCommand::Rekey { local_port: ours.port(), srtp: Some(new.for_stream()) });
    r.pool.submit(StreamCommand::Mode { local_port: ours.port(), mode: MediaMode::Echo });
    std::thread::sleep(Duration::from_millis(100));
    drain(&c, Duration::from_millis(50));
    let (mut new_tx, mut new_rx) = new.client();
    let (mut old_tx, _) = old.client();
    for q in 0..10u16 {
        c.send_to(&protect(&mut new_tx, &rtp(q, 0x99)), ours).unwrap();
        c.send_to(&protect(&mut old_tx, &rtp(100 + q, 0x98)), ours).unwrap();
    }
    let echoed = drain(&c, Duration::from_millis(300));
    assert_eq!(echoed.len(), 10, "only what the new key protects comes back");
    assert_eq!(decrypt_all(&mut new_rx, &echoed), (0..10u16).map(|q| rtp(q, 0x99)).collect::<Vec<_>>());
    let rep = r.close(ours.port());
    let s = rep.srtp.unwrap();
    assert_eq!(
        (s.suite, s.unknown_ssrc),
        (SrtpSuite::AesCm128HmacSha1_80, 10),
        "the old key no longer opens"
    );
    // Re-keying to plain RTP: what arrives next is plain.
    let plain = r.open(21, None, Some(Keys::new(SrtpSuite::AeadAes128Gcm).for_stream()));
    r.pool.submit(StreamCommand::Rekey { local_port: plain.port(), srtp: None });
    r.pool.submit(StreamCommand::Mode { local_port: plain.port(), mode: MediaMode::Echo });
    std::thread::sleep(Duration::from_millis(50));
    c.send_to(&rtp(1, 0x42), plain).unwrap();
    let back = drain(&c, Duration::from_millis(300));
    assert_eq!(back.len(), 1);
    assert_eq!(back[0], rtp(1, 0x42), "plain in, plain out");
    assert_eq!(r.close(plain.port()).srtp.map(|s| s.suite), Some(SrtpSuite::AeadAes128Gcm));
}

#[test]
fn sink_counts_only_what_authenticates_and_sends_nothing() {
    let r = rig(MediaMode::Sink, (21_400, 21_419));
    let keys = Keys::new(SrtpSuite::AeadAes128Gcm);
    let to = r.open(30, None, Some(keys.for_stream()));
    let (mut tx, _) = keys.client();
    let c = client();
    for q in 0..25u16 {
        let p = protect(&mut tx, &rtp(q, 0x31));
        let mut bad = p.clone();
        bad[20] ^= 1;
        c.send_to(&bad, to).unwrap();
        c.send_to(&p, to).unwrap();
    }
    assert!(drain(&c, Duration::from_millis(300)).is_empty(), "a sink sends nothing");
    let rep = r.close(to.port());
    assert_eq!((rep.packets_in, rep.lost, rep.packets_out), (25, 0, 0));
    assert_eq!(rep.srtp.unwrap().auth_failures, 24, "the first bad one is of a source not yet known");
    assert_eq!(rep.srtp.unwrap().unknown_ssrc, 1);
}
