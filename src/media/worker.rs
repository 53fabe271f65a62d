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
const FRAME: Duration = Duration::from_millis(20);
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

fn slot_of(token: Token) -> (usize, bool) {
    ((token.0 - 1) / 2, (token.0 - 1) % 2 == 1)
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

    fn on_readable(&mut self, token: Token, buf: &mut [u8]) {
        let (slot, is_rtcp) = slot_of(token);
        loop {
            let Some(s) = self.streams.get_mut(slot) else { return };
            let got = if is_rtcp { s.rtcp.recv_from(buf) } else { s.rtp.recv_from(buf) };
            let Ok((n, from)) = got else { return };
            let now = Instant::now();
            let data = &buf[..n];
            if is_rtcp || super::rtp::looks_like_rtcp(data) {
                if s.on_rtcp(now, data, from) {
                    self.totals.rtcp_in += 1;
                } else {
                    self.totals.malformed += 1;
                }
                continue;
            }
            if !s.on_rtp(now, data, from) {
                self.totals.malformed += 1;
                continue;
            }
            self.totals.packets_in += 1;
            self.totals.bytes_in += n as u64;
            let sent = match self.mode {
                MediaMode::Echo if s.send => s.send_to(data, from),
                MediaMode::Bridge => match s.partner.and_then(|p| self.streams.get_mut(p)) {
                    Some(p) => match p.remote.filter(|_| p.send) {
                        Some(to) => p.send_to(data, to),
                        None => false,
                    },
                    None => false,
                },
                _ => false,
            };
            if sent {
                let took = now.elapsed().as_nanos() as u64;
                let _ = self.echo_ns.record(took.max(1));
                self.totals.packets_out += 1;
                self.totals.bytes_out += n as u64;
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

    fn play_due(&mut self, now: Instant) {
        while let Some(&Reverse((at, slot, port))) = self.schedule.peek() {
            if at > now {
                return;
            }
            self.schedule.pop();
            let Some(s) = self.streams.get_mut(slot).filter(|s| s.local_port == port) else { continue };
            let frame = &self.frames[usize::from(s.payload_type == 8)];
            if s.play(frame) {
                self.totals.packets_out += 1;
                self.totals.bytes_out += (12 + FRAME_SAMPLES) as u64;
            }
            // Keep the 20 ms grid; after a long stall, restart it from now.
            let next = if now.saturating_duration_since(at) > 10 * FRAME { now + FRAME } else { at + FRAME };
            self.schedule.push(Reverse((next, slot, port)));
        }
    }

    fn housekeeping(&mut self, now: Instant) {
        let mut timed_out = Vec::new();
        for (_, s) in self.streams.iter_mut() {
            let before = s.counts.rtcp_out;
            s.rtcp_due(now);
            self.totals.rtcp_out += s.counts.rtcp_out - before;
            let silent = now.saturating_duration_since(s.last_rx);
            if let Some(limit) = self.timeout
                && s.send
                && !s.timed_out
                && silent > limit
            {
                s.timed_out = true;
                timed_out.push((s.owner, s.id, s.local_port));
            }
        }
        for (owner, id, local_port) in timed_out {
            self.totals.timeouts += 1;
            (self.events)(MediaEvent { owner, id, local_port, kind: MediaEventKind::Timeout });
        }
    }
}
