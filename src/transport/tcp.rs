//! TCP socket setup: a listener per shard on the same address
//! (SO_REUSEPORT: the kernel spreads new connections over the shards) and
//! non-blocking connects.

use std::io;
use std::net::SocketAddr;

use socket2::{Domain, Protocol, Socket, Type};

/// Connections waiting to be accepted, per listener.
const BACKLOG: i32 = 4096;

/// Binds a non-blocking TCP listener; with `reuse_port`, every shard binds
/// the same address.
pub fn bind_tcp(addr: SocketAddr, reuse_port: bool) -> io::Result<mio::net::TcpListener> {
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
    socket.listen(BACKLOG)?;
    Ok(mio::net::TcpListener::from_std(socket.into()))
}

/// Starts a non-blocking connect to `to` (completion shows as writable).
pub fn connect_tcp(to: SocketAddr) -> io::Result<mio::net::TcpStream> {
    mio::net::TcpStream::connect(to)
}
