//! Batched datagram send: one `sendmmsg` sends up to `BATCH` datagrams
//! (runs of them segmented where the kernel can); plain `send_to`
//! elsewhere. Only the headers a batch uses are written.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use crate::core::Transmit;
use crate::transport::segments::UdpSendMode;
#[cfg(target_os = "linux")]
use crate::transport::segments::{MAX_SEGMENTS, SegmentControl, run_length};

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
/// the peer `mode` says the socket is connected to go without one: the
/// kernel then uses the route it keeps instead of looking one up per
/// datagram. With `mode.segments`, each run of equal-length datagrams to
/// one destination is one segmented send (`segments`). A run the kernel
/// cannot segment (EIO, EINVAL) is sent again datagram by datagram and
/// turns segmentation off in `mode`; any other refusal of a run is its
/// first datagram's, and the rest are sent again on their own.
#[cfg(target_os = "linux")]
pub fn send_batch(socket: &UdpSocket, mode: &mut UdpSendMode, out: &[Transmit]) -> Vec<SendFailure> {
    use std::mem::MaybeUninit;
    use std::os::fd::AsRawFd;
    let mut failed = Vec::new();
    for (c, chunk) in out.chunks(BATCH).enumerate() {
        // Only the entries used are written and handed to the kernel: no
        // zeroing of the whole batch per call. One iovec per datagram, one
        // message per run (a run's iovecs are consecutive).
        let mut addrs: [MaybeUninit<libc::sockaddr_storage>; BATCH] =
            [const { MaybeUninit::uninit() }; BATCH];
        let mut iovs: [MaybeUninit<libc::iovec>; BATCH] = [const { MaybeUninit::uninit() }; BATCH];
        let mut msgs: [MaybeUninit<libc::mmsghdr>; BATCH] = [const { MaybeUninit::uninit() }; BATCH];
        // A run's message points at its first iovec and reads on: every
        // iovec pointer comes from the one array pointer.
        let iov_at = iovs.as_mut_ptr().cast::<libc::iovec>();
        let mut controls: [MaybeUninit<SegmentControl>; BATCH] = [const { MaybeUninit::uninit() }; BATCH];
        // Each message's first datagram and datagram count.
        let mut runs = [(0usize, 0usize); BATCH];
        let (mut first, mut count) = (0, 0);
        while first < chunk.len() {
            let run = if mode.segments { run_length(&chunk[first..], MAX_SEGMENTS) } else { 1 };
            for (k, d) in chunk[first..first + run].iter().enumerate() {
                let iov =
                    libc::iovec { iov_base: d.data.as_ptr() as *mut libc::c_void, iov_len: d.data.len() };
                // SAFETY: first + k < chunk.len() <= BATCH, inside `iovs`.
                unsafe { iov_at.add(first + k).write(iov) };
            }
            let d = &chunk[first];
            // SAFETY: a zeroed mmsghdr is valid (null pointers, zero lengths).
            let m = msgs[count].write(unsafe { std::mem::zeroed() });
            if mode.connected != Some(d.to.addr) {
                let addr = addrs[count].as_mut_ptr();
                m.msg_hdr.msg_namelen = write_sockaddr(d.to.addr, addr);
                m.msg_hdr.msg_name = addr.cast();
            }
            // SAFETY: as above; the run's `run` iovecs are written.
            m.msg_hdr.msg_iov = unsafe { iov_at.add(first) };
            m.msg_hdr.msg_iovlen = run as _;
            if run > 1 {
                // A run's datagrams are at most MAX_SEGMENT_BYTES: fits u16.
                controls[count].write(SegmentControl::EMPTY).attach(&mut m.msg_hdr, d.data.len() as u16);
            }
            runs[count] = (first, run);
            first += run;
            count += 1;
        }
        let msgs = msgs.as_mut_ptr().cast::<libc::mmsghdr>();
        let mut sent = 0;
        while sent < count {
            // SAFETY: entries `sent..count` are initialised above and point
            // at `addrs`, `iovs`, `controls` and the datagrams' bytes, all
            // alive for this call; the kernel reads them and writes only
            // each entry's `msg_len`.
            let n = unsafe { libc::sendmmsg(socket.as_raw_fd(), msgs.add(sent), (count - sent) as u32, 0) };
            if n > 0 {
                sent += n as usize;
                continue;
            }
            // Skip the message that failed and go on with the rest.
            let error = io::Error::last_os_error();
            let (first, run) = runs[sent];
            sent += 1;
            // A run the kernel could not segment goes datagram by datagram,
            // and later ones on this socket unsegmented. Any other error is
            // the first datagram's, as it would be unsegmented (a peer's
            // earlier ICMP error is reported once, by the send that finds
            // it); the rest go on their own.
            let unsegmentable = run > 1 && matches!(error.raw_os_error(), Some(libc::EIO | libc::EINVAL));
            let retry = if unsegmentable {
                mode.segments = false;
                first
            } else {
                failed.push((c * BATCH + first, error));
                first + 1
            };
            if retry < first + run {
                let mut one_by_one = UdpSendMode { segments: false, ..*mode };
                let again = send_batch(socket, &mut one_by_one, &chunk[retry..first + run]);
                failed.extend(again.into_iter().map(|(i, e)| (c * BATCH + retry + i, e)));
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
pub fn send_batch(socket: &UdpSocket, mode: &mut UdpSendMode, out: &[Transmit]) -> Vec<SendFailure> {
    let send = |d: &Transmit| {
        if mode.connected == Some(d.to.addr) {
            socket.send(&d.data)
        } else {
            socket.send_to(&d.data, d.to.addr)
        }
    };
    out.iter().enumerate().filter_map(|(i, d)| send(d).err().map(|e| (i, e))).collect()
}
