//! One media thread: a mio poll over its streams' sockets, a queue of
//! commands from the shards, paced playing, RTCP reports and timeouts.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam::queue::SegQueue;
use mio::{Events, Interest, Poll, Token};
use slab::Slab;

use super::command::{MediaEvent, MediaEventKind, MediaMode, StreamCommand};
use super::counters::{MediaCounters, MediaTotals, thread_cpu_ns};
use super::g711::FRAME_SAMPLES;
use super::ports::PortPool;
use super::stream::Stream;

pub(crate) const WAKER: Token = Token(0);
pub(crate) const FRAME: Duration = Duration::from_millis(20);
const HOUSEKEEPING: Duration = Duration::from_millis(100);

/// Where media events go (the runtime pushes them to the owner's queue).
pub type EventSink = Arc<dyn Fn(MediaEvent) + Send + Sync>;

pub(crate) struct Worker {
    pub(crate) poll: Poll,
    pub(crate) commands: Arc<SegQueue<StreamCommand>>,
    pub(crate) stop: Arc<AtomicBool>,
    pub(crate) ports: Arc<PortPool>,
    pub(crate) events: EventSink,
    pub(crate) counters: Arc<MediaCounters>,
    pub(crate) mode: MediaMode,
    pub(crate) timeout: Option<Duration>,
    /// The frame to play per payload type: [PCMU, PCMA].
    pub(crate) frames: Arc<[[u8; FRAME_SAMPLES]; 2]>,
    pub(crate) streams: Slab<Stream>,
    pub(crate) by_port: hashbrown::HashMap<u16, usize>,
    pub(crate) schedule: BinaryHeap<Reverse<(Instant, usize, u16)>>,
    pub(crate) totals: MediaTotals,
    /// Packet received → its echo (or bridged copy) sent, ns; merged into
    /// `echo_shared` once a second.
    pub(crate) echo_ns: hdrhistogram::Histogram<u64>,
    pub(crate) echo_shared: Arc<parking_lot::Mutex<hdrhistogram::Histogram<u64>>>,
}

impl Worker {
    pub(crate) fn run(mut self) {
        let mut events = Events::with_capacity(256);
        let mut buf = vec![0u8; 2048];
        let mut next_housekeeping = Instant::now() + HOUSEKEEPING;
        let mut next_histogram = Instant::now() + Duration::from_secs(1);
        loop {
            let now = Instant::now();
            let next = self.schedule.peek().map_or(next_housekeeping, |r| r.0.0.min(next_housekeeping));
            let _ = self.poll.poll(&mut events, Some(next.saturating_duration_since(now)));
            for ev in events.iter() {
                if ev.token() != WAKER {
                    self.on_readable(ev.token(), &mut buf);
                }
            }
            self.drain_commands();
            let now = Instant::now();
            self.play_due(now);
            if now >= next_housekeeping {
                next_housekeeping = now + HOUSEKEEPING;
                self.housekeeping(now);
            }
            if now >= next_histogram || self.stop.load(Ordering::Acquire) {
                next_histogram = now + Duration::from_secs(1);
                let _ = self.echo_shared.lock().add(&self.echo_ns);
                self.echo_ns.reset();
            }
            self.totals.cpu_ns = thread_cpu_ns();
            self.counters.publish(&self.totals);
            if self.stop.load(Ordering::Acquire) {
                let slots: Vec<usize> = self.streams.iter().map(|(k, _)| k).collect();
                for s in slots {
                    self.close(s);
                }
                self.counters.publish(&self.totals);
                return;
            }
        }
    }

    fn drain_commands(&mut self) {
        while let Some(cmd) = self.commands.pop() {
            match cmd {
                StreamCommand::Open(open) => self.open(open),
                StreamCommand::Direction { local_port, send } => {
                    if let Some(s) = self.by_port.get(&local_port).and_then(|&k| self.streams.get_mut(k)) {
                        s.send = send;
                    }
                }
                StreamCommand::Close { local_port } => {
                    if let Some(&k) = self.by_port.get(&local_port) {
                        self.close(k);
                    }
                }
            }
        }
    }

    fn open(&mut self, open: super::command::OpenStream) {
        let (port, partner) = (open.local_port, open.partner);
        let now = Instant::now();
        let Ok(mut s) = Stream::new(open, now) else {
            self.ports.release(port);
            return;
        };
        let slot = self.streams.vacant_key();
        let reg = self.poll.registry();
        let ok = reg.register(&mut s.rtp, Token(1 + 2 * slot), Interest::READABLE).is_ok()
            && reg.register(&mut s.rtcp, Token(2 + 2 * slot), Interest::READABLE).is_ok();
        if !ok {
            self.ports.release(port);
            return;
        }
        if let Some(p) = partner.and_then(|p| self.by_port.get(&p).copied()) {
            s.partner = Some(p);
            if let Some(other) = self.streams.get_mut(p) {
                other.partner = Some(slot);
            }
        }
        self.streams.insert(s);
        self.by_port.insert(port, slot);
        self.totals.streams_opened += 1;
        if self.mode == MediaMode::Play {
            self.schedule.push(Reverse((now, slot, port)));
        }
    }

    fn close(&mut self, slot: usize) {
        if !self.streams.contains(slot) {
            return;
        }
        let mut s = self.streams.remove(slot);
        self.by_port.remove(&s.local_port);
        if let Some(p) = s.partner.and_then(|p| self.streams.get_mut(p)) {
            p.partner = None;
        }
        let reg = self.poll.registry();
        let _ = reg.deregister(&mut s.rtp);
        let _ = reg.deregister(&mut s.rtcp);
        let report = s.report(Instant::now());
        let (owner, id, port) = (s.owner, s.id, s.local_port);
        drop(s);
        // The sockets are closed: only now may the pair be reused.
        self.ports.release(port);
        self.totals.add_closed(&report);
        (self.events)(MediaEvent { owner, id, local_port: port, kind: MediaEventKind::Closed(report) });
    }
}
