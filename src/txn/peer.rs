//! Where a message came from or goes: an address, the transport, and for
//! a stream the connection the runtime holds. The protocol layers only
//! carry the connection's name; the runtime owns the socket.

use std::net::SocketAddr;

use crate::sip::Transport;

/// A TCP or TLS connection as the runtime names it: the shard that owns
/// it and its slot there, with a generation so a reused slot is told
/// apart from the connection that held it before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConnId {
    /// The shard that owns the connection.
    pub shard: u16,
    /// Generation of the slot.
    pub generation: u16,
    /// Slot in that shard's connection table.
    pub slot: u32,
}

/// A message's far end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer {
    /// The address: where a datagram goes, or where to connect when the
    /// connection is gone (or was never opened).
    pub addr: SocketAddr,
    /// How the peer is reached.
    pub transport: Transport,
    /// The connection to use while it is open (streams only; None: any
    /// connection to `addr`, or a new one).
    pub conn: Option<ConnId>,
}

impl Peer {
    /// A UDP peer.
    pub fn udp(addr: SocketAddr) -> Peer {
        Peer { addr, transport: Transport::Udp, conn: None }
    }

    /// A peer over a stream connection.
    pub fn stream(addr: SocketAddr, transport: Transport, conn: ConnId) -> Peer {
        Peer { addr, transport, conn: Some(conn) }
    }

    /// Reached over a stream: no retransmissions, Timers D/I/J/K zero.
    pub fn reliable(&self) -> bool {
        self.transport.reliable()
    }

    /// The same flow (transport and connection) at another address.
    pub fn at(self, addr: SocketAddr) -> Peer {
        Peer { addr, ..self }
    }
}

impl From<SocketAddr> for Peer {
    fn from(addr: SocketAddr) -> Peer {
        Peer::udp(addr)
    }
}
