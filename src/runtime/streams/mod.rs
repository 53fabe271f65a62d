//! A shard's stream side: its TCP and TLS listeners (SO_REUSEPORT, so the
//! kernel spreads connections over the shards), the connections it
//! accepted or opened, which it alone reads, frames, writes and times out
//! (`accept`, `input`, `output`, `timers`), within limits counted by cause.
//! Framed messages go to the shard for dispatch by Call-ID like datagrams.

mod accept;
mod input;
mod limits;
mod output;
mod stats;
mod table;
mod timers;

use std::io;
use std::time::Instant;

use bytes::Bytes;
use mio::net::TcpListener;
use mio::{Interest, Registry, Token};

pub use limits::{ConnectionReuse, StreamLimits};
pub use stats::ConnStats;

use crate::core::CallHandle;
use crate::sip::ParseLimits;
use crate::timer::TimerWheel;
use crate::transport::tls::TlsContexts;
use crate::txn::Peer;
use table::ConnTable;

/// The listeners' tokens; connections count up from `CONN_BASE`.
pub(crate) const TCP_LISTENER: Token = Token(2);
pub(crate) const TLS_LISTENER: Token = Token(3);
const CONN_BASE: usize = 16;
/// The shard's read buffer: decrypted or raw bytes pass through it.
const SCRATCH: usize = 64 * 1024;

/// A framed message and the connection it came on.
pub(crate) type Arrived = (Peer, Bytes);

/// How a shard's stream side is set up.
pub(crate) struct StreamSetup {
    pub(crate) tcp: Option<TcpListener>,
    pub(crate) tls: Option<TcpListener>,
    pub(crate) tls_contexts: Option<TlsContexts>,
    pub(crate) limits: StreamLimits,
    pub(crate) parse: ParseLimits,
    pub(crate) reuse: ConnectionReuse,
}

impl StreamSetup {
    /// Shard's share of the runtime's stream settings, with its listeners.
    pub(crate) fn for_shard(
        cfg: &crate::runtime::RuntimeConfig,
        shards: usize,
        tcp: Option<TcpListener>,
        tls: Option<TcpListener>,
    ) -> StreamSetup {
        StreamSetup {
            tcp,
            tls,
            tls_contexts: cfg.tls.clone(),
            limits: cfg.stream_limits.share(shards),
            parse: cfg.core.limits,
            reuse: cfg.connection_reuse,
        }
    }
}

/// One shard's listeners and connections.
pub(crate) struct Streams {
    shard: u16,
    registry: Registry,
    listeners: [Option<TcpListener>; 2],
    tls: Option<TlsContexts>,
    limits: StreamLimits,
    parse: ParseLimits,
    reuse: ConnectionReuse,
    table: ConnTable,
    wheel: TimerWheel<(u32, u16)>,
    scratch: Box<[u8]>,
    /// Connections to read again next turn (their turn ran out).
    again: Vec<usize>,
    /// Listeners to accept from again, and when (descriptors ran out).
    accept_again: Option<Instant>,
    dirty: Vec<usize>,
    /// Most connections open at once since memory was last given back.
    peak: usize,
    /// A crowd came (the peak reached `SHRINK_AFTER`) and has not all gone.
    crowded: bool,
    /// Counters.
    pub(crate) stats: ConnStats,
    /// Calls whose messages could not be sent: (call, why).
    pub(crate) failures: Vec<(CallHandle, String)>,
}

impl Streams {
    pub(crate) fn new(
        shard: u16,
        registry: &Registry,
        setup: StreamSetup,
        epoch: Instant,
    ) -> io::Result<Streams> {
        let mut listeners = [setup.tcp, setup.tls];
        for (l, token) in listeners.iter_mut().zip([TCP_LISTENER, TLS_LISTENER]) {
            if let Some(l) = l {
                registry.register(l, token, Interest::READABLE)?;
            }
        }
        Ok(Streams {
            shard,
            registry: registry.try_clone()?,
            listeners,
            tls: setup.tls_contexts,
            limits: setup.limits,
            parse: setup.parse,
            reuse: setup.reuse,
            table: ConnTable::default(),
            wheel: TimerWheel::new(epoch),
            scratch: vec![0u8; SCRATCH].into_boxed_slice(),
            again: Vec::new(),
            accept_again: None,
            dirty: Vec::new(),
            peak: 0,
            crowded: false,
            stats: ConnStats::default(),
            failures: Vec::new(),
        })
    }

    /// Whether a poll token is ours.
    pub(crate) fn owns(token: Token) -> bool {
        token == TCP_LISTENER || token == TLS_LISTENER || token.0 >= CONN_BASE
    }

    /// A readiness event for one of our tokens; framed messages go to `msgs`.
    pub(crate) fn on_event(&mut self, now: Instant, ev: &mio::event::Event, msgs: &mut Vec<Arrived>) {
        match ev.token() {
            TCP_LISTENER => self.accept(now, 0),
            TLS_LISTENER => self.accept(now, 1),
            Token(t) => {
                let slot = t - CONN_BASE;
                if ev.is_writable() {
                    self.on_writable(now, slot);
                }
                if ev.is_readable() || ev.is_read_closed() || ev.is_error() {
                    self.read(now, slot, msgs, ev.is_read_closed() || ev.is_error());
                }
            }
        }
    }

    /// Work left from the last turn: connections whose read turn ran out,
    /// accepts to retry.
    pub(crate) fn turn(&mut self, now: Instant, msgs: &mut Vec<Arrived>) {
        if self.accept_again.is_some_and(|at| at <= now) {
            self.accept_again = None;
            self.accept(now, 0);
            self.accept(now, 1);
        }
        for slot in std::mem::take(&mut self.again) {
            self.read(now, slot, msgs, true);
        }
    }

    /// When the stream side needs the shard next: now when reads are
    /// left over, else its next timer or accept retry.
    pub(crate) fn next_deadline(&self, now: Instant) -> Option<Instant> {
        if !self.again.is_empty() {
            return Some(now);
        }
        match (self.wheel.next_deadline(), self.accept_again) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn token(slot: usize) -> Token {
        Token(CONN_BASE + slot)
    }

    /// The peer of the connection in `slot`, as the core sees it.
    fn peer_of(&self, slot: usize) -> Option<Peer> {
        let e = self.table.get(slot)?;
        let id = self.table.id(self.shard, slot)?;
        Some(Peer::stream(e.conn.peer, e.conn.transport, id))
    }
}
