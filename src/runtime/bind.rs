//! Binding every shard's sockets: for each configured transport, the
//! first shard binds the address (port 0 resolved there) and the others
//! bind the resolved one with SO_REUSEPORT.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use mio::net::TcpListener;

use super::RuntimeConfig;
use crate::core::CoreConfig;
use crate::sip::Transport;
use crate::transport::{bind_tcp, bind_udp};

/// One shard's sockets.
#[derive(Default)]
pub(crate) struct ShardSockets {
    pub(crate) udp: Option<UdpSocket>,
    pub(crate) tcp: Option<TcpListener>,
    pub(crate) tls: Option<TcpListener>,
}

/// Every (transport, address) bound, port 0 resolved.
pub(crate) type Bound = Vec<(Transport, SocketAddr)>;

/// Binds each shard's sockets; returns them and the addresses bound, in
/// the configured order.
pub(crate) fn bind_shards(cfg: &RuntimeConfig, shards: usize) -> io::Result<(Vec<ShardSockets>, Bound)> {
    let mut all: Vec<ShardSockets> = (0..shards).map(|_| ShardSockets::default()).collect();
    let mut locals = Vec::new();
    for &(t, addr) in &cfg.listeners {
        let mut bound = addr;
        for (i, s) in all.iter_mut().enumerate() {
            let at = if i == 0 { addr } else { bound };
            match t {
                Transport::Udp => {
                    let sock = bind_udp(at, true, cfg.socket_buffer)?;
                    bound = sock.local_addr()?;
                    s.udp = Some(sock);
                }
                Transport::Tcp | Transport::Tls => {
                    let l = bind_tcp(at, true)?;
                    bound = l.local_addr()?;
                    if t == Transport::Tcp { s.tcp = Some(l) } else { s.tls = Some(l) }
                }
            }
        }
        locals.push((t, bound));
    }
    Ok((all, locals))
}

/// The core's own addresses: UDP (else the primary), and the TCP and TLS
/// listeners' (Via sent-by, Contact).
pub(crate) fn with_locals(core: CoreConfig, locals: &Bound) -> CoreConfig {
    let of = |t: Transport| locals.iter().find(|l| l.0 == t).map(|l| l.1);
    CoreConfig {
        local: of(Transport::Udp).or(locals.first().map(|l| l.1)).unwrap_or(core.local),
        local_tcp: of(Transport::Tcp),
        local_tls: of(Transport::Tls),
        ..core
    }
}
