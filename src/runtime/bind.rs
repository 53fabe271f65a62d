//! Binding every shard's sockets: for each configured transport a group
//! on one address, one socket (or listener) per shard. The first of a
//! group binds alone, so an address in use is refused naming it
//! (`transport::bind_udp_group`, `bind_tcp_group`); port 0 is resolved
//! there and the others join it with SO_REUSEPORT.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use mio::net::TcpListener;

use super::RuntimeConfig;
use crate::core::CoreConfig;
use crate::sip::Transport;
use crate::transport::{bind_tcp_group, bind_udp_group};

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
        let bound = match t {
            Transport::Udp => {
                let group = bind_udp_group(addr, shards, cfg.socket_buffer)?;
                if shards > 1 && cfg.udp.kernel_steering {
                    steer(&group);
                }
                if let Some(peer) = cfg.udp.peer {
                    connect(&group, peer)?;
                }
                let bound = group[0].local_addr()?;
                all.iter_mut().zip(group).for_each(|(s, sock)| s.udp = Some(sock));
                bound
            }
            Transport::Tcp | Transport::Tls => {
                let group = bind_tcp_group(addr, shards, &t.name().to_ascii_uppercase())?;
                let bound = group[0].local_addr()?;
                for (s, l) in all.iter_mut().zip(group) {
                    if t == Transport::Tcp { s.tcp = Some(l) } else { s.tls = Some(l) }
                }
                bound
            }
        };
        locals.push((t, bound));
    }
    Ok((all, locals))
}

/// Asks the kernel to put each datagram on its call's shard; the shards'
/// hand-off covers what it cannot (no permission, no Call-ID to read).
fn steer(group: &[UdpSocket]) {
    #[cfg(target_os = "linux")]
    match crate::transport::steer_by_call_id(group) {
        Ok(()) => tracing::debug!("UDP datagrams steered to their call's shard by the kernel"),
        Err(e) => {
            tracing::info!("UDP datagrams not steered by Call-ID in the kernel ({e}); shards hand them off")
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = group;
}

/// Connects a one-socket group to `peer`: the kernel keeps the route
/// and drops datagrams from anyone else. Several sockets connected to one
/// peer would all lose the SO_REUSEPORT spread to the first of them.
fn connect(group: &[UdpSocket], peer: SocketAddr) -> io::Result<()> {
    match group {
        [socket] => {
            socket.connect(peer).map_err(|e| io::Error::new(e.kind(), format!("UDP connect to {peer}: {e}")))
        }
        _ => Err(io::Error::new(io::ErrorKind::InvalidInput, "a UDP peer needs exactly one shard")),
    }
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
