//! RTP relay load: `--streams` echo streams on the media pool (one media
//! thread by default), each fed `--pps` packets/s from loopback clients
//! for `--seconds`, then a blast phase that sends as fast as the client
//! can to find the most packets/s one media thread relays.
//! Prints loss, the echo round trip (client send → echo received; the
//! client's own syscalls included) and the media thread's CPU; writes
//! `rtp_load.json` and `echo_latency.hgrm` into `--report`.
//! With `--srtp SUITE` the whole run is repeated on SRTP streams (the
//! client protects with each stream's inbound key and authenticates the
//! echo with its outbound key) and the media thread's CPU per packet
//! relayed is compared with the plain run's (`srtp_echo_latency.hgrm`).
//!
//!   cargo run --release --example rtp_load -- --streams 1000 --pps 50 --seconds 30 \
//!       --srtp AES_CM_128_HMAC_SHA1_80

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use hdrhistogram::Histogram;
use parking_lot::Mutex;
use sipbench::media::{
    MasterKey, MediaConfig, MediaMode, MediaPool, MediaTotals, OpenStream, SRTP_MAX_TRAILER, SrtpContext,
    SrtpKeys, SrtpSuite, StreamCommand, bind_pair,
};

#[derive(Parser)]
struct Args {
    /// Concurrent echo streams.
    #[arg(long, default_value_t = 1000)]
    streams: usize,
    /// Packets per second per stream (50: G.711 at 20 ms).
    #[arg(long, default_value_t = 50)]
    pps: u64,
    /// Length of the paced phase.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// Length of the blast phase (0: skip).
    #[arg(long, default_value_t = 5)]
    blast_seconds: u64,
    /// Media threads.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// RTP port range of the pool.
    #[arg(long, default_value = "24000-27999")]
    ports: String,
    /// Where to write rtp_load.json and echo_latency.hgrm.
    #[arg(long, default_value = "reports/rtp-load")]
    report: PathBuf,
    /// Repeat the run on SRTP streams of this suite.
    #[arg(long)]
    srtp: Option<SrtpSuite>,
}

const LO: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const CLIENTS: usize = 8;
const PACKET: usize = 172;

/// One client-side phase's counts.
#[derive(Default)]
struct Phase {
    sent: u64,
    received: u64,
    wall: Duration,
    media: MediaTotals,
}

/// The paced and blast phases of one run (plain or SRTP).
struct Run {
    paced: Phase,
    hist: Histogram<u64>,
    blast: Phase,
    /// Echoes the client could not authenticate.
    client_auth_failures: u64,
}

/// The client's contexts for one SRTP stream: it sends with the stream's
/// inbound key and reads the echo with its outbound key.
struct ClientKeys {
    send: Vec<SrtpContext>,
    read: Vec<SrtpContext>,
}

fn packet(stream: usize, seq: u16, t0: Instant) -> [u8; PACKET + SRTP_MAX_TRAILER] {
    let mut p = [0xd5u8; PACKET + SRTP_MAX_TRAILER];
    sipbench::media::write_rtp_header(
        (&mut p[..12]).try_into().unwrap(),
        8,
        false,
        seq,
        u32::from(seq) * 160,
        stream as u32,
    );
    p[12..20].copy_from_slice(&(t0.elapsed().as_nanos() as u64).to_be_bytes());
    p
}

fn client_socket() -> UdpSocket {
    let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::DGRAM, None).expect("socket");
    let _ = s.set_recv_buffer_size(8 << 20);
    let _ = s.set_send_buffer_size(8 << 20);
    s.bind(&SocketAddr::new(LO, 0).into()).expect("bind client");
    s.into()
}

/// Reads echoes on every client socket until `stop`; authenticates SRTP
/// echoes (by the stream's port) and records round trips.
fn receiver(
    socks: Vec<UdpSocket>,
    t0: Instant,
    stop: Arc<AtomicBool>,
    got: Arc<AtomicU64>,
    hist: Arc<Mutex<Histogram<u64>>>,
    mut read: Option<HashMap<u16, SrtpContext>>,
) -> u64 {
    let mut poll = mio::Poll::new().expect("poll");
    let mut socks: Vec<mio::net::UdpSocket> = socks
        .into_iter()
        .map(|s| {
            s.set_nonblocking(true).unwrap();
            mio::net::UdpSocket::from_std(s)
        })
        .collect();
    for (i, s) in socks.iter_mut().enumerate() {
        poll.registry().register(s, mio::Token(i), mio::Interest::READABLE).unwrap();
    }
    let mut events = mio::Events::with_capacity(64);
    let mut buf = [0u8; 2048];
    let mut failures = 0;
    while !stop.load(Ordering::Acquire) {
        let _ = poll.poll(&mut events, Some(Duration::from_millis(50)));
        let mut local = hist.lock();
        for ev in events.iter() {
            while let Ok((mut n, from)) = socks[ev.token().0].recv_from(&mut buf) {
                if let Some(ctxs) = read.as_mut() {
                    match ctxs.get_mut(&from.port()).map(|c| c.unprotect_rtp(&mut buf[..n])) {
                        Some(Ok(m)) => n = m,
                        _ => {
                            failures += 1;
                            continue;
                        }
                    }
                }
                if n >= 20 {
                    let sent = u64::from_be_bytes(buf[12..20].try_into().unwrap());
                    let now = t0.elapsed().as_nanos() as u64;
                    let _ = local.record(now.saturating_sub(sent).max(1_000));
                }
                got.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    failures
}

/// Opens `n` echo streams (SRTP ones with fresh keys); returns their
/// addresses and, for SRTP, the client's contexts.
fn open_streams(
    pool: &MediaPool,
    n: usize,
    srtp: Option<SrtpSuite>,
) -> (Vec<SocketAddr>, Option<ClientKeys>) {
    let mut targets = Vec::new();
    let mut keys = srtp.map(|_| ClientKeys { send: Vec::new(), read: Vec::new() });
    while targets.len() < n {
        let Some(port) = pool.ports().acquire() else { break };
        let Ok(pair) = bind_pair(LO, port) else { continue };
        let stream_keys = srtp.map(|suite| {
            let (theirs, ours) = (MasterKey::generate(suite).unwrap(), MasterKey::generate(suite).unwrap());
            let k = keys.as_mut().unwrap();
            k.send.push(SrtpContext::new(std::slice::from_ref(&theirs)).unwrap());
            k.read.push(SrtpContext::new(std::slice::from_ref(&ours)).unwrap());
            SrtpKeys::new(vec![theirs], ours).unwrap()
        });
        let open = OpenStream {
            payload_type: 8,
            srtp: stream_keys,
            ..OpenStream::on_pair(port.into(), 0, port, pair)
        };
        pool.submit(StreamCommand::Open(open));
        targets.push(SocketAddr::new(LO, port));
    }
    (targets, keys)
}

/// One run: open the streams, the paced phase, the blast phase, close.
fn run(a: &Args, pool: &MediaPool, srtp: Option<SrtpSuite>) -> Run {
    let (targets, keys) = open_streams(pool, a.streams, srtp);
    assert_eq!(targets.len(), a.streams, "not enough free ports in {}", a.ports);
    let (mut send_keys, read_keys) = match keys {
        Some(k) => {
            (Some(k.send), Some(targets.iter().map(|t| t.port()).zip(k.read).collect::<HashMap<_, _>>()))
        }
        None => (None, None),
    };
    let clients: Vec<UdpSocket> = (0..CLIENTS).map(|_| client_socket()).collect();
    let t0 = Instant::now();
    let (stop, got) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicU64::new(0)));
    let hist = Arc::new(Mutex::new(Histogram::<u64>::new_with_bounds(1_000, 10_000_000_000, 3).unwrap()));
    let rx = {
        let socks = clients.iter().map(|c| c.try_clone().unwrap()).collect();
        let (stop, got, hist) = (stop.clone(), got.clone(), hist.clone());
        std::thread::spawn(move || receiver(socks, t0, stop, got, hist, read_keys))
    };
    std::thread::sleep(Duration::from_millis(200));
    let mut send = |i: usize, seq: u16| {
        let mut p = packet(i, seq, t0);
        let n = match send_keys.as_mut() {
            Some(k) => match k[i].protect_rtp(&mut p, PACKET) {
                Ok(n) => n,
                Err(_) => return 0,
            },
            None => PACKET,
        };
        clients[i % CLIENTS].send_to(&p[..n], targets[i]).is_ok() as u64
    };
    // Paced phase: every stream every 1/pps s, spread over 10 slots.
    let before = pool.totals();
    let start = Instant::now();
    let (mut paced, mut seq) = (Phase::default(), 0u16);
    let tick = Duration::from_nanos(1_000_000_000 / a.pps.max(1));
    let mut next = start;
    while start.elapsed() < Duration::from_secs(a.seconds) {
        for slot in 0..10 {
            std::thread::sleep((next + tick * slot / 10).saturating_duration_since(Instant::now()));
            for i in (slot as usize..a.streams).step_by(10) {
                paced.sent += send(i, seq);
            }
        }
        seq = seq.wrapping_add(1);
        next += tick;
    }
    paced.wall = start.elapsed();
    std::thread::sleep(Duration::from_millis(500));
    paced.received = got.load(Ordering::Relaxed);
    paced.media = diff(pool.totals(), before);
    let paced_hist = hist.lock().clone();
    // Blast phase: as fast as this client can send.
    let (before, got_before, start) = (pool.totals(), got.load(Ordering::Relaxed), Instant::now());
    let mut blast = Phase::default();
    while start.elapsed() < Duration::from_secs(a.blast_seconds) {
        for i in 0..a.streams {
            blast.sent += send(i, seq);
        }
        seq = seq.wrapping_add(1);
    }
    std::thread::sleep(Duration::from_millis(500));
    blast.wall = start.elapsed() - Duration::from_millis(500);
    blast.received = got.load(Ordering::Relaxed) - got_before;
    blast.media = diff(pool.totals(), before);
    stop.store(true, Ordering::Release);
    let client_auth_failures = rx.join().unwrap_or(0);
    for t in &targets {
        pool.submit(StreamCommand::Close { local_port: t.port() });
    }
    // The pairs return once the sockets are closed.
    let until = Instant::now() + Duration::from_secs(10);
    while pool.ports().free() < pool.ports().capacity() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    Run { paced, hist: paced_hist, blast, client_auth_failures }
}

fn main() {
    let a = Args::parse();
    let (lo, hi) = a
        .ports
        .split_once('-')
        .and_then(|(l, h)| Some((l.parse().ok()?, h.parse().ok()?)))
        .expect("--ports A-B");
    let cfg = MediaConfig {
        threads: a.threads,
        mode: MediaMode::Echo,
        ports: (lo, hi),
        timeout: None,
        cores: Vec::new(),
    };
    let pool = MediaPool::start(&cfg, Arc::new(|_| {})).expect("media pool");
    let plain = run(&a, &pool, None);
    let srtp = a.srtp.map(|suite| (suite, run(&a, &pool, Some(suite))));
    pool.stop();
    report(&a, &plain, srtp.as_ref());
}

fn diff(now: MediaTotals, then: MediaTotals) -> MediaTotals {
    MediaTotals {
        packets_in: now.packets_in - then.packets_in,
        packets_out: now.packets_out - then.packets_out,
        cpu_ns: now.cpu_ns - then.cpu_ns,
        ..now
    }
}

/// µs of media-thread CPU per packet relayed in a phase.
fn cpu_per_packet_us(p: &Phase) -> f64 {
    p.media.cpu_ns as f64 / 1e3 / p.media.packets_out.max(1) as f64
}

/// Prints one run's figures and returns them as JSON.
fn print_run(label: &str, a: &Args, r: &Run) -> serde_json::Value {
    let (paced, h, blast) = (&r.paced, &r.hist, &r.blast);
    let ms = |q: f64| h.value_at_quantile(q) as f64 / 1e6;
    let cpu = |p: &Phase| 100.0 * p.media.cpu_ns as f64 / p.wall.as_nanos() as f64;
    let lost = paced.sent.saturating_sub(paced.received);
    let blast_pps = blast.media.packets_out as f64 / blast.wall.as_secs_f64().max(1e-9);
    let auth = paced.media.srtp_auth_failures + paced.media.srtp_replays + paced.media.srtp_unknown_ssrc;
    println!(
        "== rtp-load {label}: {} echo streams x {} packets/s, {} s, {} media thread(s)",
        a.streams, a.pps, a.seconds, a.threads
    );
    println!(
        "paced   sent {}  echoed {}  lost {}  ({:.0} packets/s each way)  SRTP drops {}  echoes failing authentication {}",
        paced.sent,
        paced.received,
        lost,
        paced.sent as f64 / paced.wall.as_secs_f64(),
        auth,
        r.client_auth_failures
    );
    println!(
        "        echo round trip p50 {:.3} ms  p99 {:.3} ms  p99.9 {:.3} ms  max {:.3} ms",
        ms(0.5),
        ms(0.99),
        ms(0.999),
        h.max() as f64 / 1e6
    );
    println!(
        "        media thread CPU {:.1} %  ({:.2} µs per packet relayed)",
        cpu(paced),
        cpu_per_packet_us(paced)
    );
    if a.blast_seconds > 0 {
        println!(
            "blast   sent {}  relayed {}  echoed {}  dropped by the kernel before the relay {}  => {:.0} packets/s relayed, media thread CPU {:.1} %",
            blast.sent,
            blast.media.packets_out,
            blast.received,
            blast.sent.saturating_sub(blast.media.packets_in),
            blast_pps,
            cpu(blast)
        );
    }
    serde_json::json!({
        "paced": { "sent": paced.sent, "echoed": paced.received, "lost": lost,
            "round_trip_ms": { "p50": ms(0.5), "p99": ms(0.99), "p999": ms(0.999), "max": h.max() as f64 / 1e6 },
            "media_cpu_pct": cpu(paced), "cpu_us_per_packet": cpu_per_packet_us(paced),
            "srtp_drops": auth, "client_auth_failures": r.client_auth_failures },
        "blast": { "sent": blast.sent, "relayed": blast.media.packets_out, "echoed": blast.received,
            "relayed_pps": blast_pps, "media_cpu_pct": cpu(blast) },
    })
}

fn report(a: &Args, plain: &Run, srtp: Option<&(SrtpSuite, Run)>) {
    let p = print_run("plain RTP", a, plain);
    let mut doc = serde_json::json!({
        "schema": "sipbench.rtp_load/2",
        "streams": a.streams, "pps_per_stream": a.pps, "seconds": a.seconds, "media_threads": a.threads,
        "paced": p["paced"], "blast": p["blast"],
    });
    std::fs::create_dir_all(&a.report).expect("report dir");
    let hgrm = |name: &str, h: &Histogram<u64>| {
        std::fs::write(a.report.join(name), sipbench::metrics::percentile_distribution(h, 1e6))
            .expect("write hgrm")
    };
    hgrm("echo_latency.hgrm", &plain.hist);
    if let Some((suite, run)) = srtp {
        let s = print_run(suite.name(), a, run);
        let ratio = cpu_per_packet_us(&run.paced) / cpu_per_packet_us(&plain.paced);
        println!("srtp    CPU per packet relayed {ratio:.2}x plain RTP in this run (budget 1.5x)");
        doc["srtp"] = serde_json::json!({ "suite": suite.name(), "paced": s["paced"], "blast": s["blast"],
            "cpu_per_packet_ratio": ratio });
        hgrm("srtp_echo_latency.hgrm", &run.hist);
    }
    std::fs::write(a.report.join("rtp_load.json"), serde_json::to_string_pretty(&doc).unwrap())
        .expect("write json");
    println!("report  {}/rtp_load.json, {}/echo_latency.hgrm", a.report.display(), a.report.display());
}
