//! TCP socket setup: a listener per shard on the same address
//! (SO_REUSEPORT: the kernel spreads new connections over the shards)
//! that no other engine or process can join by accident, and
//! non-blocking connects.

use std::io;
use std::net::SocketAddr;

use socket2::{Domain, Protocol, Socket, Type};

/// Connections waiting to be accepted, per listener.
const BACKLOG: i32 = 4096;

/// Binds a non-blocking TCP listener; with `reuse_port`, every shard binds
/// the same address. SO_REUSEADDR only lets it bind over connections in
/// TIME_WAIT (a restart), never beside another listener.
pub fn bind_tcp(addr: SocketAddr, reuse_port: bool) -> io::Result<mio::net::TcpListener> {
    let socket = bound(addr, reuse_port)?;
    socket.listen(BACKLOG)?;
    Ok(mio::net::TcpListener::from_std(socket.into()))
}

/// Binds `count` listeners on `addr` (port 0: one free port for all),
/// `what` naming them in errors ("TCP", "TLS"). The first binds alone,
/// without SO_REUSEPORT, so an address another listener holds — another
/// engine, another `sipbench-server`, any process — fails with
/// `AddrInUse` naming it instead of sharing its connections; then it
/// opens the group (before it listens) and the others join it.
pub fn bind_tcp_group(addr: SocketAddr, count: usize, what: &str) -> io::Result<Vec<mio::net::TcpListener>> {
    let first = bound(addr, false).map_err(|e| match e.kind() {
        io::ErrorKind::AddrInUse => io::Error::new(
            io::ErrorKind::AddrInUse,
            format!("{what} {addr} is already in use (another engine or process listens there)"),
        ),
        _ => io::Error::new(e.kind(), format!("{what} {addr}: {e}")),
    })?;
    #[cfg(all(unix, not(any(target_os = "solaris", target_os = "illumos"))))]
    if count > 1 {
        first.set_reuse_port(true)?;
    }
    first.listen(BACKLOG)?;
    let first = mio::net::TcpListener::from_std(first.into());
    let local = first.local_addr()?;
    let mut group = vec![first];
    for _ in 1..count {
        group.push(
            bind_tcp(local, true).map_err(|e| io::Error::new(e.kind(), format!("{what} {local}: {e}")))?,
        );
    }
    Ok(group)
}

/// A non-blocking TCP socket bound to `addr`, not yet listening.
fn bound(addr: SocketAddr, reuse_port: bool) -> io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    if addr.is_ipv6() {
        socket.set_only_v6(true)?;
    }
    socket.set_reuse_address(true)?;
    #[cfg(all(unix, not(any(target_os = "solaris", target_os = "illumos"))))]
    if reuse_port {
        socket.set_reuse_port(true)?;
    }
    #[cfg(not(unix))]
    let _ = reuse_port;
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    Ok(socket)
}

/// Starts a non-blocking connect to `to` (completion shows as writable).
pub fn connect_tcp(to: SocketAddr) -> io::Result<mio::net::TcpStream> {
    mio::net::TcpStream::connect(to)
}
