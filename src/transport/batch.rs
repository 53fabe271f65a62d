//! Batched datagram I/O: one `recvmmsg` drains up to `BATCH` datagrams per
//! wake-up and one `sendmmsg` sends a batch; plain `recv_from`/`send_to`
//! elsewhere. Receive buffers are reused; each datagram is copied out into
//! an exact-size `Bytes` so state never pins a 64 KiB buffer.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use bytes::Bytes;

use crate::core::Transmit;

/// Datagrams per system call.
pub const BATCH: usize = 64;
/// Public alias of the batch size.
pub const BATCH_SIZE: usize = BATCH;
const MAX_DATAGRAM: usize = 65_536;

/// Reusable receive buffers for one socket.
pub struct BatchReceiver {
    bufs: Vec<Box<[u8]>>,
}

impl Default for BatchReceiver {
    fn default() -> Self {
        BatchReceiver { bufs: (0..BATCH).map(|_| vec![0u8; MAX_DATAGRAM].into_boxed_slice()).collect() }
    }
}

impl BatchReceiver {
    /// Receives up to `BATCH` datagrams; `Ok(0)` when none are waiting.
    #[cfg(target_os = "linux")]
    pub fn recv(&mut self, socket: &UdpSocket, mut on: impl FnMut(SocketAddr, Bytes)) -> io::Result<usize> {
        use std::os::fd::AsRawFd;
        // SAFETY: zeroed sockaddr_storage/mmsghdr/iovec are valid values.
        let mut addrs: [libc::sockaddr_storage; BATCH] = unsafe { std::mem::zeroed() };
        let mut iovs: [libc::iovec; BATCH] = unsafe { std::mem::zeroed() };
        let mut msgs: [libc::mmsghdr; BATCH] = unsafe { std::mem::zeroed() };
        for i in 0..BATCH {
            iovs[i] = libc::iovec { iov_base: self.bufs[i].as_mut_ptr().cast(), iov_len: self.bufs[i].len() };
            msgs[i].msg_hdr.msg_name = (&mut addrs[i] as *mut libc::sockaddr_storage).cast();
            msgs[i].msg_hdr.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            msgs[i].msg_hdr.msg_iov = &mut iovs[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        // SAFETY: every mmsghdr points at live buffers, iovecs and address
        // storage owned by this frame or `self`, sized as declared.
        let n = unsafe {
            libc::recvmmsg(
                socket.as_raw_fd(),
                msgs.as_mut_ptr(),
                BATCH as u32,
                libc::MSG_DONTWAIT,
                std::ptr::null_mut(),
            )
        };
        if n < 0 {
            let e = io::Error::last_os_error();
            return if e.kind() == io::ErrorKind::WouldBlock { Ok(0) } else { Err(e) };
        }
        for i in 0..n as usize {
            let len = (msgs[i].msg_len as usize).min(MAX_DATAGRAM);
            if let Some(from) = to_socket_addr(&addrs[i]) {
                on(from, Bytes::copy_from_slice(&self.bufs[i][..len]));
            }
        }
        Ok(n as usize)
    }

    /// Portable fallback: one datagram per call, up to `BATCH`.
    #[cfg(not(target_os = "linux"))]
    pub fn recv(&mut self, socket: &UdpSocket, mut on: impl FnMut(SocketAddr, Bytes)) -> io::Result<usize> {
        let mut n = 0;
        while n < BATCH {
            match socket.recv_from(&mut self.bufs[0]) {
                Ok((len, from)) => on(from, Bytes::copy_from_slice(&self.bufs[0][..len])),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
            n += 1;
        }
        Ok(n)
    }
}

/// The address the kernel wrote into a `sockaddr_storage`.
#[cfg(target_os = "linux")]
fn to_socket_addr(ss: &libc::sockaddr_storage) -> Option<SocketAddr> {
    use std::net::{Ipv4Addr, Ipv6Addr, SocketAddrV6};
    match i32::from(ss.ss_family) {
        libc::AF_INET => {
            // SAFETY: ss_family says the storage holds a sockaddr_in, which
            // is smaller than sockaddr_storage and suitably aligned.
            let a = unsafe { &*(ss as *const libc::sockaddr_storage).cast::<libc::sockaddr_in>() };
            let ip = Ipv4Addr::from(u32::from_be(a.sin_addr.s_addr));
            Some(SocketAddr::new(ip.into(), u16::from_be(a.sin_port)))
        }
        libc::AF_INET6 => {
            // SAFETY: as above, for sockaddr_in6.
            let a = unsafe { &*(ss as *const libc::sockaddr_storage).cast::<libc::sockaddr_in6>() };
            let ip = Ipv6Addr::from(a.sin6_addr.s6_addr);
            Some(SocketAddrV6::new(ip, u16::from_be(a.sin6_port), a.sin6_flowinfo, a.sin6_scope_id).into())
        }
        _ => None,
    }
}

/// A datagram the kernel refused: its index in the batch and why.
pub type SendFailure = (usize, io::Error);

/// Sends every datagram, in batches; gives back the ones the kernel
/// refused (buffer full, unreachable, wrong address family) so they can
/// be counted and reported to their calls. Destination addresses are
/// written on the stack: no allocation unless a send fails.
#[cfg(target_os = "linux")]
pub fn send_batch(socket: &UdpSocket, out: &[Transmit]) -> Vec<SendFailure> {
    use std::os::fd::AsRawFd;
    let mut failed = Vec::new();
    for (c, chunk) in out.chunks(BATCH).enumerate() {
        // SAFETY: zeroed sockaddr_storage/iovec/mmsghdr are valid; filled below.
        let mut addrs: [libc::sockaddr_storage; BATCH] = unsafe { std::mem::zeroed() };
        let mut iovs: [libc::iovec; BATCH] = unsafe { std::mem::zeroed() };
        let mut msgs: [libc::mmsghdr; BATCH] = unsafe { std::mem::zeroed() };
        for (i, d) in chunk.iter().enumerate() {
            iovs[i] = libc::iovec { iov_base: d.data.as_ptr() as *mut libc::c_void, iov_len: d.data.len() };
            msgs[i].msg_hdr.msg_namelen = write_sockaddr(d.to.addr, &mut addrs[i]);
            msgs[i].msg_hdr.msg_name = (&mut addrs[i] as *mut libc::sockaddr_storage).cast();
            msgs[i].msg_hdr.msg_iov = &mut iovs[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        let mut sent = 0;
        while sent < chunk.len() {
            // SAFETY: headers point at `addrs`, `iovs` and the datagrams'
            // bytes, all alive for this call; the kernel only reads them.
            let n = unsafe {
                libc::sendmmsg(socket.as_raw_fd(), msgs[sent..].as_mut_ptr(), (chunk.len() - sent) as u32, 0)
            };
            if n <= 0 {
                // Skip the datagram that failed and go on with the rest.
                failed.push((c * BATCH + sent, io::Error::last_os_error()));
                sent += 1;
            } else {
                sent += n as usize;
            }
        }
    }
    failed
}

/// Writes `addr` into `ss` as the kernel reads it; returns its length.
#[cfg(target_os = "linux")]
fn write_sockaddr(addr: SocketAddr, ss: &mut libc::sockaddr_storage) -> libc::socklen_t {
    let p = (ss as *mut libc::sockaddr_storage).cast::<u8>();
    match addr {
        SocketAddr::V4(a) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr { s_addr: u32::from(*a.ip()).to_be() },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_storage is larger than and aligned for
            // sockaddr_in; we write one whole value at its start.
            unsafe { std::ptr::write(p.cast::<libc::sockaddr_in>(), sin) };
            std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t
        }
        SocketAddr::V6(a) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: a.flowinfo(),
                sin6_addr: libc::in6_addr { s6_addr: a.ip().octets() },
                sin6_scope_id: a.scope_id(),
            };
            // SAFETY: as above, for sockaddr_in6.
            unsafe { std::ptr::write(p.cast::<libc::sockaddr_in6>(), sin6) };
            std::mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t
        }
    }
}

/// Portable fallback.
#[cfg(not(target_os = "linux"))]
pub fn send_batch(socket: &UdpSocket, out: &[Transmit]) -> Vec<SendFailure> {
    out.iter()
        .enumerate()
        .filter_map(|(i, d)| socket.send_to(&d.data, d.to.addr).err().map(|e| (i, e)))
        .collect()
}
