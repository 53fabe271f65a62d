//! Two (or more) `ShardCore`s talking to each other through a simulated
//! network with one fake clock, in the style of quinn-proto's pair tests:
//! every datagram a core transmits goes onto the wire, where it may be
//! lost, is delayed (so reordered when the delay varies) and is delivered
//! to the core at its destination; timers fire at their deadlines. Nothing
//! sleeps: the clock jumps to the next delivery or deadline.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use sipbench::core::{
    Applied, CallHandle, Command, CommandError, CoreConfig, Event, EventKind, MediaCommand, Outbox, ShardCore,
};
use sipbench::dialog::EndReason;
use sipbench::sip::Message;

use super::sim::Lcg;

/// The network: loss and delay drawn from a seeded generator.
pub struct Net {
    rng: Lcg,
    /// Percentage of datagrams dropped.
    pub loss: u64,
    /// Delay of each datagram, ms, drawn from `min..=max`.
    pub delay: (u64, u64),
    queue: BTreeMap<(Instant, u64), (SocketAddr, SocketAddr, Bytes)>,
    seq: u64,
    /// Datagrams put on the wire, and those dropped.
    pub sent: u64,
    pub lost: u64,
}

impl Net {
    pub fn new(seed: u64, loss: u64, delay: (u64, u64)) -> Net {
        // Spread small seeds over the state (an LCG's first draws follow
        // its seed closely).
        let state = seed.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        Net { rng: Lcg(state), loss, delay, queue: BTreeMap::new(), seq: 0, sent: 0, lost: 0 }
    }

    /// Puts a datagram from `from` to `to` on the wire at `now`.
    pub fn send(&mut self, now: Instant, from: SocketAddr, to: SocketAddr, data: Bytes) {
        self.sent += 1;
        if self.rng.percent(self.loss) {
            self.lost += 1;
            return;
        }
        let (lo, hi) = self.delay;
        let at = now + Duration::from_millis(lo + self.rng.below(hi - lo + 1));
        self.seq += 1;
        self.queue.insert((at, self.seq), (from, to, data));
    }

    fn next_at(&self) -> Option<Instant> {
        self.queue.keys().next().map(|&(at, _)| at)
    }

    fn pop_due(&mut self, now: Instant) -> Option<(SocketAddr, SocketAddr, Bytes)> {
        let key = *self.queue.keys().next().filter(|(at, _)| *at <= now)?;
        self.queue.remove(&key)
    }
}

/// One core on the network, and what it produced.
pub struct Node {
    pub core: ShardCore,
    pub addr: SocketAddr,
    out: Outbox,
    /// Every event so far, in order.
    pub events: Vec<Event>,
    /// Every message it sent, parsed.
    pub sent: Vec<Message>,
    /// Every media command it gave, in order.
    pub media: Vec<MediaCommand>,
}

impl Node {
    /// The event kinds of one call, in order.
    pub fn events_of(&self, call: CallHandle) -> Vec<EventKind> {
        self.events.iter().filter(|e| e.call == call).map(|e| e.kind.clone()).collect()
    }

    /// The reason the call ended with, once it has.
    pub fn ended(&self, call: CallHandle) -> Option<EndReason> {
        self.events.iter().find_map(|e| match e.kind {
            EventKind::Terminated { reason, .. } if e.call == call => Some(reason),
            _ => None,
        })
    }

    /// Applies a command at `now` (the pair sends what it produced).
    pub fn command(&mut self, now: Instant, cmd: Command) -> Result<Applied, CommandError> {
        self.core.on_command(now, cmd, &mut self.out)
    }

    /// Whether the call saw an event like `kind`.
    pub fn saw(&self, call: CallHandle, kind: &EventKind) -> bool {
        self.events.iter().any(|e| e.call == call && e.kind == *kind)
    }

    /// The handle of the first call that saw `Incoming`.
    pub fn first_incoming(&self) -> Option<CallHandle> {
        self.events.iter().find(|e| matches!(e.kind, EventKind::Incoming)).map(|e| e.call)
    }
}

/// What sits in front of a node and may take a datagram for it first (a
/// part of a SIP element the cores do not play, e.g. a REFER recipient).
/// Commands it gives the node's core go onto the wire like the rest.
pub trait Interceptor {
    /// A datagram for `node`: Some(datagrams to send) when taken.
    fn take(
        &mut self,
        node: &mut Node,
        now: Instant,
        from: SocketAddr,
        data: &Bytes,
    ) -> Option<Vec<(SocketAddr, Bytes)>>;
    /// After each step: what the interceptor sends on its own, and when
    /// it next wants to run.
    fn poll(&mut self, node: &mut Node, now: Instant) -> (Vec<(SocketAddr, Bytes)>, Option<Instant>);
}

/// Cores on one network with one clock.
pub struct Pair {
    pub epoch: Instant,
    pub now: Instant,
    pub net: Net,
    pub nodes: Vec<Node>,
    /// (node index, interceptor in front of it).
    pub interceptor: Option<(usize, Box<dyn Interceptor>)>,
}

impl Pair {
    /// Cores with these configurations, each listening on its `local`.
    pub fn new(net: Net, cfgs: Vec<CoreConfig>) -> Pair {
        let epoch = Instant::now();
        let nodes = cfgs
            .into_iter()
            .map(|cfg| Node {
                addr: cfg.local,
                core: ShardCore::new(CoreConfig { events: true, ..cfg }, epoch),
                out: Outbox::default(),
                events: Vec::new(),
                sent: Vec::new(),
                media: Vec::new(),
            })
            .collect();
        Pair { epoch, now: epoch, net, nodes, interceptor: None }
    }

    /// A command for node `n`; its output goes onto the wire.
    pub fn command(&mut self, n: usize, cmd: Command) -> Result<Applied, CommandError> {
        let node = &mut self.nodes[n];
        let r = node.core.on_command(self.now, cmd, &mut node.out);
        self.flush(n);
        r
    }

    /// Node `n` places `call`; its handle.
    pub fn place(&mut self, n: usize, call: sipbench::core::OutgoingCall) -> CallHandle {
        match self.command(n, Command::Place(std::sync::Arc::new(call))) {
            Ok(Applied::Placed(h)) => h,
            other => panic!("place: {other:?}"),
        }
    }

    /// Takes node `n`'s output: transmits onto the wire, events noted.
    fn flush(&mut self, n: usize) {
        let node = &mut self.nodes[n];
        for t in node.out.transmits.drain(..) {
            let m = super::check_kind(&t);
            // Every request we send names its call, but those resent after
            // the call ended: an ACK to a final response, a CANCEL or PRACK
            // whose answer was lost while the 487 came, a REFER whose 202
            // was lost while NOTIFYs (which may overtake it, RFC 3515
            // §2.4.4) ended the call, a final NOTIFY whose 200 was lost
            // while the transferor's BYE ended it.
            let resent_late = matches!(m.method_name(), "ACK" | "CANCEL" | "PRACK" | "REFER" | "NOTIFY");
            let named = t.call.is_some() || m.status_code().is_some() || resent_late;
            assert!(named, "{} names no call", super::label(&m));
            node.sent.push(m);
            self.net.send(self.now, node.addr, t.to.addr, t.data);
        }
        node.events.append(&mut node.out.events);
        node.media.append(&mut node.out.media);
        node.out.clear();
    }

    /// The next instant anything happens.
    fn next_at(&mut self) -> Option<Instant> {
        let mut at = self.net.next_at();
        for node in &self.nodes {
            at = [at, node.core.next_deadline()].into_iter().flatten().min();
        }
        if let Some((i, x)) = &mut self.interceptor {
            let i = *i;
            let (sends, wake) = x.poll(&mut self.nodes[i], self.now);
            for (to, data) in sends {
                self.net.send(self.now, self.nodes[i].addr, to, data);
            }
            self.flush(i);
            at = [at, wake].into_iter().flatten().min();
        }
        at
    }

    /// Advances to the next delivery or deadline (at most to `limit`) and
    /// handles everything due then; false when nothing happens by `limit`.
    pub fn step(&mut self, limit: Instant) -> bool {
        let Some(at) = self.next_at().filter(|&at| at <= limit) else { return false };
        self.now = self.now.max(at);
        while let Some((from, to, data)) = self.net.pop_due(self.now) {
            let Some(n) = self.nodes.iter().position(|node| node.addr == to) else { continue };
            if let Some((_, x)) = self.interceptor.as_mut().filter(|(i, _)| *i == n)
                && let Some(sends) = x.take(&mut self.nodes[n], self.now, from, &data)
            {
                for (to, d) in sends {
                    self.net.send(self.now, self.nodes[n].addr, to, d);
                }
                self.flush(n);
                continue;
            }
            let node = &mut self.nodes[n];
            node.core.on_datagram(self.now, from, data, &mut node.out);
            self.flush(n);
        }
        for n in 0..self.nodes.len() {
            let node = &mut self.nodes[n];
            node.core.on_timers(self.now, &mut node.out);
            self.flush(n);
        }
        true
    }

    /// Runs until `done` holds (true) or `limit` of simulated time passes.
    pub fn run_until(&mut self, limit: Duration, done: impl Fn(&Pair) -> bool) -> bool {
        let end = self.now + limit;
        while !done(self) {
            if !self.step(end) {
                self.now = end;
                return done(self);
            }
        }
        true
    }

    /// Runs `d` of simulated time.
    pub fn run_for(&mut self, d: Duration) {
        let end = self.now + d;
        while self.step(end) {}
        self.now = end;
    }

    /// 40 s later every core is empty: no call, transaction or timer left.
    pub fn drain(&mut self) {
        self.run_for(Duration::from_secs(40));
        for node in &self.nodes {
            let sizes = node.core.table_sizes();
            assert!(sizes.is_empty(), "{} leaked state: {sizes:?}", node.addr);
            assert_eq!(node.core.stats().active_calls, 0, "{}", node.addr);
        }
    }
}
