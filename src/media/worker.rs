//! One media thread: a mio poll over its streams' sockets, a queue of
//! commands from the shards, paced playing, RTCP reports and timeouts.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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
    pub(crate) lanes: super::lanes::SharedLanes,
    /// This thread's index in `lanes`.
    pub(crate) lane: usize,
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
        while let Some(cmd) = self.lanes.links[self.lane].commands.pop() {
            let known = cmd.port().and_then(|p| self.by_port.get(&p).copied());
            match cmd {
                StreamCommand::Open(open) => self.open(open),
                StreamCommand::Adopt(stream, partner) => self.adopt(stream, partner),
                StreamCommand::Bridge { local_port, partner } => self.bridge(local_port, partner),
                cmd if known.is_none() => self.forward_elsewhere(cmd),
                StreamCommand::Direction { send, .. } => {
                    if let Some(s) = known.and_then(|k| self.streams.get_mut(k)) {
                        s.send = send;
                    }
                }
                StreamCommand::Mode { mode, .. } => {
                    if let Some(k) = known {
                        self.set_mode(k, mode);
                    }
                }
                StreamCommand::Music { on, .. } => {
                    if let Some(k) = known {
                        self.set_music(k, on);
                    }
                }
                StreamCommand::Close { .. } => {
                    if let Some(k) = known {
                        self.close(k);
                    }
                }
                StreamCommand::Rekey { srtp, .. } => {
                    if let Some(s) = known.and_then(|k| self.streams.get_mut(k)) {
                        // Keys SrtpKeys accepted always make contexts.
                        let _ = s.rekey(srtp.as_ref());
                    }
                }
            }
        }
    }

    /// Switches a stream's mode; a stream that starts playing joins the
    /// pacing schedule.
    pub(crate) fn set_mode(&mut self, slot: usize, mode: MediaMode) {
        let Some(s) = self.streams.get_mut(slot) else { return };
        let was = std::mem::replace(&mut s.mode, mode);
        if mode == MediaMode::Play && was != MediaMode::Play && !s.music {
            self.schedule.push(Reverse((Instant::now(), slot, s.local_port)));
        }
    }

    /// Music on hold on or off; a stream that starts playing joins the
    /// pacing schedule.
    pub(crate) fn set_music(&mut self, slot: usize, on: bool) {
        let Some(s) = self.streams.get_mut(slot) else { return };
        let was_playing = s.music || s.mode == MediaMode::Play;
        s.music = on;
        if on && !was_playing {
            self.schedule.push(Reverse((Instant::now(), slot, s.local_port)));
        }
    }

    fn open(&mut self, mut open: super::command::OpenStream) {
        let (port, partner) = (open.local_port, open.partner);
        let mode = *open.mode.get_or_insert(self.mode);
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
        if mode == MediaMode::Play {
            self.schedule.push(Reverse((now, slot, port)));
        }
    }

    pub(crate) fn close(&mut self, slot: usize) {
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
