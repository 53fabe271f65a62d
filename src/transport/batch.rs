//! Batched datagram send: one `sendmmsg` sends up to `BATCH` datagrams;
//! plain `send_to` elsewhere. Only the headers a batch uses are written.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use crate::core::Transmit;

/// Datagrams per system call.
pub const BATCH: usize = 64;
/// Public alias of the batch size.
pub const BATCH_SIZE: usize = BATCH;

/// A datagram the kernel refused: its index in the batch and why.
pub type SendFailure = (usize, io::Error);

/// Sends every datagram, in batches; gives back the ones the kernel
/// refused (buffer full, unreachable, wrong address family) so they can
/// be counted and reported to their calls. Destination addresses are
/// written on the stack: no allocation unless a send fails. Datagrams to
/// `connected`, the peer the socket is connected to, go without one: the
/// kernel then uses the route it keeps for the connection instead of
/// looking one up per datagram.
#[cfg(target_os = "linux")]
pub fn send_batch(socket: &UdpSocket, connected: Option<SocketAddr>, out: &[Transmit]) -> Vec<SendFailure> {
    use std::os::fd::AsRawFd;
    let mut failed = Vec::new();
    for (c, chunk) in out.chunks(BATCH).enumerate() {
        // Only the first `chunk.len()` entries are written and handed to
        // the kernel: no zeroing of the whole batch per call.
        let mut addrs: [std::mem::MaybeUninit<libc::sockaddr_storage>; BATCH] =
            [const { std::mem::MaybeUninit::uninit() }; BATCH];
        let mut iovs: [std::mem::MaybeUninit<libc::iovec>; BATCH] =
            [const { std::mem::MaybeUninit::uninit() }; BATCH];
        let mut msgs: [std::mem::MaybeUninit<libc::mmsghdr>; BATCH] =
            [const { std::mem::MaybeUninit::uninit() }; BATCH];
        for (i, d) in chunk.iter().enumerate() {
            let iov = iovs[i]
                .write(libc::iovec { iov_base: d.data.as_ptr() as *mut libc::c_void, iov_len: d.data.len() });
            let addr = addrs[i].as_mut_ptr();
            // SAFETY: a zeroed mmsghdr is valid (null pointers, zero lengths).
            let m = msgs[i].write(unsafe { std::mem::zeroed() });
            if connected != Some(d.to.addr) {
                m.msg_hdr.msg_namelen = write_sockaddr(d.to.addr, addr);
                m.msg_hdr.msg_name = addr.cast();
            }
            m.msg_hdr.msg_iov = iov;
            m.msg_hdr.msg_iovlen = 1;
        }
        let msgs = msgs.as_mut_ptr().cast::<libc::mmsghdr>();
        let mut sent = 0;
        while sent < chunk.len() {
            // SAFETY: entries `sent..chunk.len()` are initialised above and
            // point at `addrs`, `iovs` and the datagrams' bytes, all alive
            // for this call; the kernel only reads them.
            let n =
                unsafe { libc::sendmmsg(socket.as_raw_fd(), msgs.add(sent), (chunk.len() - sent) as u32, 0) };
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

/// Writes `addr` at the start of `ss` (uninitialised storage) as the
/// kernel reads it; returns its length.
#[cfg(target_os = "linux")]
fn write_sockaddr(addr: SocketAddr, ss: *mut libc::sockaddr_storage) -> libc::socklen_t {
    let p = ss.cast::<u8>();
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
pub fn send_batch(socket: &UdpSocket, connected: Option<SocketAddr>, out: &[Transmit]) -> Vec<SendFailure> {
    let send = |d: &Transmit| {
        if connected == Some(d.to.addr) { socket.send(&d.data) } else { socket.send_to(&d.data, d.to.addr) }
    };
    out.iter().enumerate().filter_map(|(i, d)| send(d).err().map(|e| (i, e))).collect()
}
