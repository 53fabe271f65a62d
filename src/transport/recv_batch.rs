//! Batched datagram receive: one `recvmmsg` drains up to `BATCH`
//! datagrams per call into buffers and message headers set up once, so a
//! call writes nothing but the address lengths the kernel overwrote. Each
//! datagram is copied out into an exact-size `Bytes` so state never pins
//! a 64 KiB buffer.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use bytes::Bytes;

use super::batch::BATCH;

const MAX_DATAGRAM: usize = 65_536;

/// Reusable receive buffers and message headers for one socket.
pub struct BatchReceiver {
    bufs: Vec<Box<[u8]>>,
    /// Headers pointing at `bufs`, `iovs` and `addrs` (all on the heap, so
    /// they stay put when the receiver moves).
    #[cfg(target_os = "linux")]
    msgs: Box<[libc::mmsghdr; BATCH]>,
    #[cfg(target_os = "linux")]
    iovs: Box<[libc::iovec; BATCH]>,
    #[cfg(target_os = "linux")]
    addrs: Box<[libc::sockaddr_storage; BATCH]>,
}

// SAFETY: the raw pointers in `msgs` and `iovs` point only into heap
// memory this receiver owns and never shares; moving it to another thread
// moves that memory's only user with it.
#[cfg(target_os = "linux")]
unsafe impl Send for BatchReceiver {}

impl Default for BatchReceiver {
    fn default() -> Self {
        let mut bufs: Vec<Box<[u8]>> =
            (0..BATCH).map(|_| vec![0u8; MAX_DATAGRAM].into_boxed_slice()).collect();
        #[cfg(target_os = "linux")]
        {
            // SAFETY: zeroed sockaddr_storage/mmsghdr/iovec are valid values.
            let mut addrs: Box<[libc::sockaddr_storage; BATCH]> = Box::new(unsafe { std::mem::zeroed() });
            let mut iovs: Box<[libc::iovec; BATCH]> = Box::new(unsafe { std::mem::zeroed() });
            let mut msgs: Box<[libc::mmsghdr; BATCH]> = Box::new(unsafe { std::mem::zeroed() });
            for i in 0..BATCH {
                iovs[i] = libc::iovec { iov_base: bufs[i].as_mut_ptr().cast(), iov_len: bufs[i].len() };
                msgs[i].msg_hdr.msg_name = (&mut addrs[i] as *mut libc::sockaddr_storage).cast();
                msgs[i].msg_hdr.msg_iov = &mut iovs[i];
                msgs[i].msg_hdr.msg_iovlen = 1;
            }
            BatchReceiver { bufs, msgs, iovs, addrs }
        }
        #[cfg(not(target_os = "linux"))]
        BatchReceiver { bufs }
    }
}

impl BatchReceiver {
    /// Receives up to `BATCH` datagrams; `Ok(0)` when none are waiting.
    #[cfg(target_os = "linux")]
    pub fn recv(&mut self, socket: &UdpSocket, mut on: impl FnMut(SocketAddr, Bytes)) -> io::Result<usize> {
        use std::os::fd::AsRawFd;
        debug_assert_eq!(self.iovs[0].iov_base, self.bufs[0].as_mut_ptr().cast());
        for m in self.msgs.iter_mut() {
            // The kernel wrote each address's length where we said how
            // much room there is.
            m.msg_hdr.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        }
        // SAFETY: every mmsghdr points at live buffers, iovecs and address
        // storage owned by `self`, sized as declared.
        let n = unsafe {
            libc::recvmmsg(
                socket.as_raw_fd(),
                self.msgs.as_mut_ptr(),
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
            let len = (self.msgs[i].msg_len as usize).min(MAX_DATAGRAM);
            if let Some(from) = to_socket_addr(&self.addrs[i]) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Datagrams from two senders (IPv4), in two turns, each with its own
    /// bytes and source address: the headers set up once stay right
    /// across calls and after the receiver moved.
    #[test]
    fn receives_each_datagram_with_its_source_across_calls() {
        let rx_sock = UdpSocket::bind("127.0.0.1:0").unwrap();
        let to = rx_sock.local_addr().unwrap();
        let (a, b) = (UdpSocket::bind("127.0.0.1:0").unwrap(), UdpSocket::bind("127.0.0.1:0").unwrap());
        let rx = BatchReceiver::default();
        let mut rx = std::thread::spawn(move || rx).join().unwrap();
        for turn in 0..2u8 {
            a.send_to(&[b'a', turn], to).unwrap();
            b.send_to(&[b'b', turn, turn], to).unwrap();
            let mut got = Vec::new();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            while got.len() < 2 && std::time::Instant::now() < deadline {
                rx.recv(&rx_sock, |from, data| got.push((from, data))).unwrap();
            }
            got.sort();
            let mut want = vec![
                (a.local_addr().unwrap(), Bytes::from(vec![b'a', turn])),
                (b.local_addr().unwrap(), Bytes::from(vec![b'b', turn, turn])),
            ];
            want.sort();
            assert_eq!(got, want, "turn {turn}");
        }
    }
}
