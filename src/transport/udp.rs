//! UDP socket setup and the kernel's UDP error counters.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use socket2::{Domain, Protocol, Socket, Type};

/// Binds a non-blocking UDP socket. With `reuse_port`, every shard binds
/// the same address and the kernel spreads datagrams by 4-tuple. Buffers
/// are set explicitly: small defaults drop silently under load.
pub fn bind_udp(addr: SocketAddr, reuse_port: bool, buffer_bytes: usize) -> io::Result<UdpSocket> {
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))?;
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
    if buffer_bytes > 0 {
        // The kernel may clamp these to net.core.{r,w}mem_max; best effort.
        let _ = socket.set_recv_buffer_size(buffer_bytes);
        let _ = socket.set_send_buffer_size(buffer_bytes);
    }
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    Ok(socket.into())
}

/// The kernel's UDP counters (Linux /proc/net/snmp and /proc/net/snmp6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct UdpStats {
    /// Datagrams dropped for lack of receive buffer.
    pub rcvbuf_errors: u64,
    /// Datagrams dropped for lack of send buffer.
    pub sndbuf_errors: u64,
    /// All receive errors (includes the buffer errors).
    pub in_errors: u64,
}

impl UdpStats {
    /// Counter growth from `before` to `self`.
    pub fn since(&self, before: &UdpStats) -> UdpStats {
        UdpStats {
            rcvbuf_errors: self.rcvbuf_errors.saturating_sub(before.rcvbuf_errors),
            sndbuf_errors: self.sndbuf_errors.saturating_sub(before.sndbuf_errors),
            in_errors: self.in_errors.saturating_sub(before.in_errors),
        }
    }
}

/// Reads the system-wide UDP error counters (zeros where unavailable).
pub fn read_udp_stats() -> UdpStats {
    let mut s = UdpStats::default();
    if let Ok(text) = std::fs::read_to_string("/proc/net/snmp") {
        let mut lines = text.lines().filter(|l| l.starts_with("Udp:"));
        if let (Some(names), Some(values)) = (lines.next(), lines.next()) {
            for (n, v) in names.split_whitespace().zip(values.split_whitespace()) {
                let v: u64 = v.parse().unwrap_or(0);
                match n {
                    "InErrors" => s.in_errors += v,
                    "RcvbufErrors" => s.rcvbuf_errors += v,
                    "SndbufErrors" => s.sndbuf_errors += v,
                    _ => {}
                }
            }
        }
    }
    if let Ok(text) = std::fs::read_to_string("/proc/net/snmp6") {
        for line in text.lines() {
            let mut it = line.split_whitespace();
            let (Some(n), Some(v)) = (it.next(), it.next()) else { continue };
            let v: u64 = v.parse().unwrap_or(0);
            match n {
                "Udp6InErrors" => s.in_errors += v,
                "Udp6RcvbufErrors" => s.rcvbuf_errors += v,
                "Udp6SndbufErrors" => s.sndbuf_errors += v,
                _ => {}
            }
        }
    }
    s
}
