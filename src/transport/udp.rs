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
        set_buffers(&socket, buffer_bytes);
    }
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    Ok(socket.into())
}

/// Sets both socket buffers to `bytes`, best effort. The kernel clamps
/// SO_RCVBUF/SO_SNDBUF to net.core.{r,w}mem_max;
/// a burst longer than the buffer is dropped silently and comes back as
/// retransmissions. A process allowed to (CAP_NET_ADMIN) asks past the
/// clamp with the FORCE options, as the operator asked for `bytes`.
fn set_buffers(socket: &Socket, bytes: usize) {
    let _ = socket.set_recv_buffer_size(bytes);
    let _ = socket.set_send_buffer_size(bytes);
    #[cfg(target_os = "linux")]
    {
        let want = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
        let clamped = [
            (libc::SO_RCVBUFFORCE, socket.recv_buffer_size()),
            (libc::SO_SNDBUFFORCE, socket.send_buffer_size()),
        ];
        for (option, got) in clamped {
            if got.is_ok_and(|got| was_clamped(got, bytes)) {
                // A refusal (no CAP_NET_ADMIN) leaves the clamp.
                let _ = set_int_option(socket, option, want);
            }
        }
    }
}

/// Whether a buffer Linux reports as `reported` is smaller than the
/// `asked` for: Linux reports twice what it set (its bookkeeping share).
#[cfg(target_os = "linux")]
fn was_clamped(reported: usize, asked: usize) -> bool {
    reported < asked.saturating_mul(2)
}

/// Sets the SOL_SOCKET option `option` to the integer `value`.
#[cfg(target_os = "linux")]
pub(crate) fn set_int_option(
    socket: &impl std::os::fd::AsRawFd,
    option: libc::c_int,
    value: libc::c_int,
) -> io::Result<()> {
    // SAFETY: a valid descriptor, and a pointer to a c_int with its size,
    // which the kernel only reads.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            option,
            (&raw const value).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc < 0 { Err(io::Error::last_os_error()) } else { Ok(()) }
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// Whether this process may pass the kernel's buffer clamp.
    fn may_force_buffers() -> bool {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let caps = status.lines().find_map(|l| l.strip_prefix("CapEff:")).map(str::trim);
        caps.and_then(|c| u64::from_str_radix(c, 16).ok()).is_some_and(|c| c & (1 << 12) != 0)
    }

    fn sysctl(name: &str) -> usize {
        std::fs::read_to_string(format!("/proc/sys/net/core/{name}")).unwrap().trim().parse().unwrap()
    }

    #[test]
    fn a_buffer_reported_at_the_size_asked_was_halved() {
        // Asked 8 MiB under a 4 MiB clamp: Linux sets 4 and reports 8.
        assert!(was_clamped(8 << 20, 8 << 20));
        assert!(!was_clamped(16 << 20, 8 << 20));
    }

    #[test]
    fn buffers_get_what_was_asked_past_the_clamp_when_allowed() {
        let want = 16 << 20;
        let socket = bind_udp("127.0.0.1:0".parse().unwrap(), false, want).unwrap();
        let socket = Socket::from(socket);
        let (rcv, snd) = (socket.recv_buffer_size().unwrap(), socket.send_buffer_size().unwrap());
        if may_force_buffers() {
            // Linux reports twice the size it was given.
            assert_eq!((rcv, snd), (2 * want, 2 * want));
        } else {
            assert_eq!(rcv, 2 * want.min(sysctl("rmem_max")));
            assert_eq!(snd, 2 * want.min(sysctl("wmem_max")));
        }
    }
}
