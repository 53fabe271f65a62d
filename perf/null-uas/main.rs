//! null-uas: the smallest UAS on the server's sockets and batching — the
//! limit of this I/O model. Each shard thread binds its `SO_REUSEPORT`
//! socket as the server does (`bind_udp_group`, same buffers), waits in a
//! mio poll, drains the socket with `recvmmsg` (`BatchReceiver`) and sends
//! with `sendmmsg` (`send_batch`) once per batch, as a server shard does.
//! INVITE and BYE get a canned 200 echoing the transaction headers; ACK is
//! absorbed. No parse, no tables, no timers.
//!
//! `null-uas [--listen IP:PORT] [--shards N] [--no-pin] [--socket-buffer B]
//! [--busy-poll-us US] [--run-for SECS]`

mod answer;

use std::net::{SocketAddr, UdpSocket};
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Token};
use sipbench::core::Transmit;
use sipbench::transport::{BATCH_SIZE, BatchReceiver, UdpSendMode, bind_udp_group, send_batch};
use sipbench::txn::{MessageKind, Peer};

struct Args {
    listen: SocketAddr,
    shards: usize,
    pin: bool,
    socket_buffer: usize,
    run_for: Option<Duration>,
    busy_poll: Option<Duration>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        listen: "127.0.0.1:5060".parse().expect("literal"),
        shards: 1,
        pin: true,
        socket_buffer: 8 << 20,
        run_for: None,
        busy_poll: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--listen" => a.listen = value()?.parse().map_err(|e| format!("--listen: {e}"))?,
            "--shards" => a.shards = value()?.parse().map_err(|e| format!("--shards: {e}"))?,
            "--socket-buffer" => {
                a.socket_buffer = value()?.parse().map_err(|e| format!("--socket-buffer: {e}"))?
            }
            "--run-for" => {
                a.run_for =
                    Some(Duration::from_secs(value()?.parse().map_err(|e| format!("--run-for: {e}"))?))
            }
            "--busy-poll-us" => {
                a.busy_poll =
                    Some(Duration::from_micros(value()?.parse().map_err(|e| format!("--busy-poll-us: {e}"))?))
            }
            "--no-pin" => a.pin = false,
            _ => return Err(format!("unknown flag {flag} (see the top of perf/null-uas/main.rs)")),
        }
    }
    if a.shards == 0 {
        return Err("--shards must be at least 1".into());
    }
    Ok(a)
}

/// Datagrams received and answers sent, over all shards.
#[derive(Default)]
struct Counts {
    received: AtomicU64,
    answered: AtomicU64,
}

fn main() {
    let args = parse_args().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let sockets = bind_udp_group(args.listen, args.shards, args.socket_buffer).unwrap_or_else(|e| {
        eprintln!("cannot bind: {e}");
        std::process::exit(1)
    });
    let local = sockets[0].local_addr().expect("bound socket");
    sipbench::cli::install_signal_handlers();
    let counts = Arc::new(Counts::default());
    let cores = core_affinity::get_core_ids().unwrap_or_default();
    let pin = args.pin && cores.len() >= args.shards;
    let threads: Vec<_> = sockets
        .into_iter()
        .enumerate()
        .map(|(i, socket)| {
            let counts = counts.clone();
            let core = pin.then(|| cores[i]);
            let busy_poll = args.busy_poll;
            std::thread::spawn(move || {
                if let Some(c) = core {
                    core_affinity::set_for_current(c);
                }
                if let Err(e) = serve(socket, local, busy_poll, &counts) {
                    eprintln!("shard {i}: {e}");
                }
            })
        })
        .collect();
    eprintln!("null-uas listening on udp:{local} with {} shard(s)", args.shards);
    let started = Instant::now();
    while !sipbench::cli::signalled() && args.run_for.is_none_or(|d| started.elapsed() < d) {
        std::thread::sleep(Duration::from_millis(50));
    }
    STOP.store(true, Ordering::Release);
    for t in threads {
        let _ = t.join();
    }
    println!(
        "null-uas: {:.1} s, {} datagrams received, {} answered",
        started.elapsed().as_secs_f64(),
        counts.received.load(Ordering::Relaxed),
        counts.answered.load(Ordering::Relaxed)
    );
}

/// Receive batches per loop turn at most, as a server shard reads.
const BATCHES_PER_TURN: usize = 8;

static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// One shard's loop: poll, drain in batches, answer, send once per batch.
fn serve(
    socket: UdpSocket,
    local: SocketAddr,
    busy_poll: Option<Duration>,
    counts: &Counts,
) -> std::io::Result<()> {
    let mut poll = Poll::new()?;
    poll.registry().register(&mut SourceFd(&socket.as_raw_fd()), Token(0), Interest::READABLE)?;
    let mut events = Events::with_capacity(64);
    let mut rx = BatchReceiver::default();
    let mut answers = answer::Answerer::new(&format!("sip:{local}"));
    let mut out: Vec<Transmit> = Vec::with_capacity(BATCH_SIZE);
    let mut mode = UdpSendMode::of(&socket);
    let (mut received, mut answered) = (0u64, 0u64);
    let (mut last_work, mut again) = (Instant::now(), false);
    while !STOP.load(Ordering::Acquire) {
        let now = Instant::now();
        let spin = again || busy_poll.is_some_and(|b| now - last_work < b);
        poll.poll(&mut events, Some(if spin { Duration::ZERO } else { Duration::from_millis(200) }))?;
        if !events.is_empty() {
            last_work = now;
        }
        // As a server shard's turn: up to BATCHES_PER_TURN receive
        // batches (then again without sleeping), the answers sent once.
        again = true;
        for _ in 0..BATCHES_PER_TURN {
            let n = rx
                .recv(&socket, |from, data| {
                    if let Some(resp) = answers.answer(&data) {
                        let (to, kind) = (Peer::udp(from), MessageKind::Response(200));
                        out.push(Transmit { to, data: resp, kind, call: None });
                    }
                })
                .unwrap_or(0);
            received += n as u64;
            if n < BATCH_SIZE {
                again = false;
                break;
            }
        }
        answered += out.len() as u64;
        let _ = send_batch(&socket, &mut mode, &out);
        out.clear();
    }
    counts.received.fetch_add(received, Ordering::Relaxed);
    counts.answered.fetch_add(answered, Ordering::Relaxed);
    Ok(())
}
