//! The RTP relay pool: `M` media threads, each with its own poll and
//! command queue. Commands are routed by the stream's port, so a stream's
//! open, direction changes and close reach the same thread in order.
//! (Just over 200 lines: starting the threads and routing their commands.)

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crossbeam::queue::SegQueue;
use mio::{Poll, Waker};
use parking_lot::Mutex;

use super::command::{MediaMode, OpenStream, StreamCommand};
use super::config::MediaConfig;
use super::counters::{MediaCounters, MediaTotals, echo_histogram};
use super::g711::tone_frame;
use super::lanes::{LaneLink, Lanes};
use super::ports::PortPool;
use super::worker::{EventSink, WAKER, Worker};

struct Lane {
    echo: Arc<Mutex<hdrhistogram::Histogram<u64>>>,
    counters: Arc<MediaCounters>,
}

/// Running media threads.
pub struct MediaPool {
    lanes: Vec<Lane>,
    links: Arc<Lanes>,
    next_lane: AtomicUsize,
    /// A bridge stream still waiting for its partner.
    waiting: Mutex<Option<u16>>,
    ports: Arc<PortPool>,
    mode: MediaMode,
    stop: Arc<AtomicBool>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl MediaPool {
    /// Starts the threads. `events` hears every timeout and close.
    pub fn start(cfg: &MediaConfig, events: EventSink) -> io::Result<MediaPool> {
        let ports = Arc::new(PortPool::new(cfg.ports.0, cfg.ports.1));
        let frames = Arc::new([tone_frame(true), tone_frame(false)]);
        let stop = Arc::new(AtomicBool::new(false));
        let n = cfg.threads.clamp(1, 64);
        let mut polls = Vec::new();
        let mut links = Vec::new();
        for _ in 0..n {
            let poll = Poll::new()?;
            links.push(LaneLink { commands: SegQueue::new(), waker: Waker::new(poll.registry(), WAKER)? });
            polls.push(poll);
        }
        let links = Arc::new(Lanes::new(links, ports.first(), ports.capacity()));
        let (mut lanes, mut threads) = (Vec::new(), Vec::new());
        for (i, poll) in polls.into_iter().enumerate() {
            let lane = Lane { echo: Arc::new(Mutex::new(echo_histogram())), counters: Arc::default() };
            let worker = Worker {
                poll,
                lanes: links.clone(),
                lane: i,
                stop: stop.clone(),
                ports: ports.clone(),
                events: events.clone(),
                counters: lane.counters.clone(),
                mode: cfg.mode,
                timeout: cfg.timeout,
                frames: frames.clone(),
                streams: slab::Slab::new(),
                by_port: hashbrown::HashMap::new(),
                schedule: Default::default(),
                totals: MediaTotals::default(),
                echo_ns: echo_histogram(),
                echo_shared: lane.echo.clone(),
            };
            let core = cfg.cores.get(i).copied();
            threads.push(std::thread::Builder::new().name(format!("media-{i}")).spawn(move || {
                if let Some(c) = core {
                    core_affinity::set_for_current(c);
                }
                worker.run();
            })?);
            lanes.push(lane);
        }
        Ok(MediaPool {
            lanes,
            links,
            next_lane: AtomicUsize::new(0),
            waiting: Mutex::new(None),
            ports,
            mode: cfg.mode,
            stop,
            threads: Mutex::new(threads),
        })
    }

    /// The port pairs the shards take from.
    pub fn ports(&self) -> &Arc<PortPool> {
        &self.ports
    }

    /// What the streams do.
    pub fn mode(&self) -> MediaMode {
        self.mode
    }

    /// Queues a command on the stream's media thread and wakes it.
    pub fn submit(&self, mut cmd: StreamCommand) {
        match &mut cmd {
            StreamCommand::Open(open) => {
                let mut lane = self.next_lane.fetch_add(1, Ordering::Relaxed) % self.lanes.len();
                if open.mode.unwrap_or(self.mode) == MediaMode::Bridge {
                    let mut waiting = self.waiting.lock();
                    match waiting.take() {
                        Some(p) => {
                            open.partner = Some(p);
                            lane = self.links.owner(p);
                        }
                        None => *waiting = Some(open.local_port),
                    }
                }
                self.links.set_owner(open.local_port, lane);
                self.links.links[lane].push(cmd);
                return;
            }
            StreamCommand::Close { local_port } => {
                let mut waiting = self.waiting.lock();
                if *waiting == Some(*local_port) {
                    *waiting = None;
                }
            }
            _ => {}
        }
        self.links.send(cmd);
    }

    /// Cross-connects the streams on ports `a` and `b`: what either
    /// receives is sent out of the other, to its peer.
    pub fn bridge(&self, a: u16, b: u16) {
        self.submit(StreamCommand::Bridge { local_port: a, partner: b });
    }

    /// Takes a free pair, binds it on `ip` and opens a stream on it (for
    /// users that bind at open time; shards bind while answering). Returns
    /// the RTP port.
    pub fn open_on_free_pair(
        &self,
        ip: std::net::IpAddr,
        id: u64,
        remote: Option<std::net::SocketAddr>,
        payload_type: u8,
    ) -> io::Result<u16> {
        let port = self.ports.acquire().ok_or_else(|| io::Error::other("no free RTP port pair"))?;
        let pair = super::ports::bind_pair(ip, port).inspect_err(|_| self.ports.release(port))?;
        let open = OpenStream { remote, payload_type, ..OpenStream::on_pair(id, 0, port, pair) };
        self.submit(StreamCommand::Open(open));
        Ok(port)
    }

    /// Totals over all media threads (as last published).
    pub fn totals(&self) -> MediaTotals {
        let mut t = MediaTotals::default();
        for l in &self.lanes {
            l.counters.add_to(&mut t);
        }
        t
    }

    /// Packet received → echo (or bridged copy) sent, ns, over all media
    /// threads (published once a second).
    pub fn echo_latency(&self) -> hdrhistogram::Histogram<u64> {
        let mut h = echo_histogram();
        for l in &self.lanes {
            let _ = h.add(&*l.echo.lock());
        }
        h
    }

    /// Closes every stream (each reports) and joins the threads.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Release);
        for l in &self.links.links {
            let _ = l.waker.wake();
        }
        for t in self.threads.lock().drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for MediaPool {
    fn drop(&mut self) {
        self.stop();
    }
}
