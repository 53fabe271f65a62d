//! UDP socket setup: a group of sockets on one address, one per shard,
//! that the kernel spreads datagrams over (SO_REUSEPORT), and that no
//! other engine or process can join by accident.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use socket2::{Domain, Protocol, Socket, Type};

/// Binds a non-blocking UDP socket. With `reuse_port`, other sockets with
/// it set may bind the same address (the kernel spreads datagrams by
/// 4-tuple). Buffers are set explicitly: small defaults drop silently
/// under load. No SO_REUSEADDR: for UDP it would let a stranger share the
/// port.
pub fn bind_udp(addr: SocketAddr, reuse_port: bool, buffer_bytes: usize) -> io::Result<UdpSocket> {
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))?;
    if addr.is_ipv6() {
        socket.set_only_v6(true)?;
    }
    #[cfg(all(unix, not(any(target_os = "solaris", target_os = "illumos"))))]
    if reuse_port {
        socket.set_reuse_port(true)?;
    }
    #[cfg(not(unix))]
    let _ = reuse_port;
    if buffer_bytes > 0 {
        // The kernel may clamp these to net.core.{r,w}mem_max; best effort.
        let _ = socket.set_recv_buffer_size(buffer_bytes);
        let _ = socket.set_send_buffer_size(buffer_bytes);
    }
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    Ok(socket.into())
}

/// Binds `count` sockets on `addr` (port 0: one free port for all). The
/// first binds alone, without SO_REUSEPORT, so an address another socket
/// holds — another engine, another `sipbench-server`, any process — fails
/// with `AddrInUse` naming it instead of sharing its traffic; then it
/// opens the group and the others join it.
pub fn bind_udp_group(addr: SocketAddr, count: usize, buffer_bytes: usize) -> io::Result<Vec<UdpSocket>> {
    let first = bind_udp(addr, false, buffer_bytes).map_err(|e| match e.kind() {
        io::ErrorKind::AddrInUse => io::Error::new(
            io::ErrorKind::AddrInUse,
            format!("UDP {addr} is already in use (another engine or process listens there)"),
        ),
        _ => io::Error::new(e.kind(), format!("UDP {addr}: {e}")),
    })?;
    let local = first.local_addr()?;
    if count > 1 {
        #[cfg(all(unix, not(any(target_os = "solaris", target_os = "illumos"))))]
        socket2::SockRef::from(&first).set_reuse_port(true)?;
    }
    let mut group = vec![first];
    for _ in 1..count {
        group.push(
            bind_udp(local, true, buffer_bytes)
                .map_err(|e| io::Error::new(e.kind(), format!("UDP {local}: {e}")))?,
        );
    }
    Ok(group)
}
