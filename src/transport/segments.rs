//! UDP segmentation offload (GSO, Linux 4.18 and later): a run of
//! consecutive datagrams to one destination, all of one length (the last
//! may be shorter), goes to the kernel as one send that it cuts back into
//! those datagrams — in the device, or on loopback at the receiving
//! socket. The datagrams on the wire are the same ones, in the same
//! order; the stack's per-datagram work on the sending side (buffer,
//! route, headers, loopback delivery) is done once per run.
//!
//! On loopback the kernel picks the receiving socket of a SO_REUSEPORT
//! group once per run, so a steering program sees only a run's first
//! datagram; the others land with it (a sharded receiver hands off those
//! that are not its own, which may then be served after a later datagram
//! of the same call that reached its shard directly: UDP's own order).

#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

use std::net::{SocketAddr, UdpSocket};

use crate::core::Transmit;

/// Datagrams in one segmented send at most (the kernel's limit,
/// UDP_MAX_SEGMENTS, in its oldest and smallest form).
pub(crate) const MAX_SEGMENTS: usize = 64;

/// Bytes in one segmented send at most: what one IP packet carries less
/// the UDP header and the larger (IPv6) IP header.
const MAX_RUN_BYTES: usize = u16::MAX as usize - 8 - 40;

/// Longest datagram that joins a run: what an Ethernet frame carries less
/// the UDP and IPv6 headers. The kernel refuses a run whose datagrams do
/// not fit the path's MTU unfragmented; longer datagrams (rare over UDP,
/// RFC 3261 §18.1.1) go alone.
const MAX_SEGMENT_BYTES: usize = 1500 - 8 - 40;

/// How a UDP socket sends: the peer it is connected to (datagrams to it
/// go without an address) and whether runs go as segmented sends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UdpSendMode {
    /// The peer the socket is connected to, if it is.
    pub connected: Option<SocketAddr>,
    /// Runs of equal-length datagrams go as one segmented send.
    pub segments: bool,
}

impl UdpSendMode {
    /// The mode `socket` allows: its connected peer, and segmentation
    /// where the kernel offers it.
    pub fn of(socket: &UdpSocket) -> UdpSendMode {
        UdpSendMode { connected: socket.peer_addr().ok(), segments: kernel_segments(socket) }
    }
}

/// Whether the kernel segments this socket's sends: it knows the
/// UDP_SEGMENT option (an older kernel refuses to read it).
#[cfg(target_os = "linux")]
fn kernel_segments(socket: &UdpSocket) -> bool {
    use std::os::fd::AsRawFd;
    let mut value: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: a valid descriptor and a c_int-sized buffer with its length.
    let rc = unsafe {
        libc::getsockopt(
            socket.as_raw_fd(),
            libc::SOL_UDP,
            libc::UDP_SEGMENT,
            (&raw mut value).cast(),
            &raw mut len,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn kernel_segments(_: &UdpSocket) -> bool {
    false
}

/// How many datagrams from the start of `out` (at least one, at most
/// `limit`) make one run: same destination, the first one's length (at
/// most `MAX_SEGMENT_BYTES`), and possibly one shorter datagram that ends
/// it; never an empty datagram (a zero-length segment would not be sent
/// at all).
pub(crate) fn run_length(out: &[Transmit], limit: usize) -> usize {
    let Some(first) = out.first() else { return 0 };
    let size = first.data.len();
    let (mut n, mut bytes) = (1, size);
    if size == 0 || size > MAX_SEGMENT_BYTES {
        return 1;
    }
    for d in out.iter().take(limit).skip(1) {
        let len = d.data.len();
        if d.to.addr != first.to.addr || len == 0 || len > size || bytes + len > MAX_RUN_BYTES {
            break;
        }
        n += 1;
        bytes += len;
        if len < size {
            break;
        }
    }
    n
}

/// Room for one UDP_SEGMENT control message, aligned as the kernel reads
/// control messages.
#[cfg(target_os = "linux")]
#[derive(Clone, Copy)]
#[repr(C, align(8))]
pub(crate) struct SegmentControl([u8; 32]);

#[cfg(target_os = "linux")]
impl SegmentControl {
    pub(crate) const EMPTY: SegmentControl = SegmentControl([0; 32]);

    /// Points `hdr` at this buffer, holding "segments of `size` bytes".
    pub(crate) fn attach(&mut self, hdr: &mut libc::msghdr, size: u16) {
        // SAFETY: CMSG_SPACE of two bytes (24 on 64-bit targets, 16 on
        // 32-bit ones) fits the 32-byte buffer; CMSG_FIRSTHDR then points
        // at its start, which is aligned for cmsghdr, and CMSG_DATA at
        // two writable bytes after it.
        unsafe {
            hdr.msg_control = self.0.as_mut_ptr().cast();
            hdr.msg_controllen = libc::CMSG_SPACE(2) as _;
            let c = libc::CMSG_FIRSTHDR(hdr);
            (*c).cmsg_level = libc::SOL_UDP;
            (*c).cmsg_type = libc::UDP_SEGMENT;
            (*c).cmsg_len = libc::CMSG_LEN(2) as _;
            std::ptr::write_unaligned(libc::CMSG_DATA(c).cast::<u16>(), size);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::txn::{MessageKind, Peer};

    fn sized(to: u16, len: usize) -> Transmit {
        let to = Peer::udp(SocketAddr::from(([127, 0, 0, 1], to)));
        Transmit { to, data: vec![b'x'; len].into(), kind: MessageKind::Response(200), call: None }
    }

    fn runs(out: &[Transmit], limit: usize) -> Vec<usize> {
        let mut at = 0;
        std::iter::from_fn(|| {
            let n = run_length(&out[at..], limit);
            at += n;
            (n > 0).then_some(n)
        })
        .collect()
    }

    #[test]
    fn a_run_is_one_destination_and_one_length_ended_by_a_shorter_datagram() {
        let out = [sized(1, 300), sized(1, 300), sized(1, 200), sized(1, 200), sized(2, 200), sized(2, 400)];
        assert_eq!(runs(&out, MAX_SEGMENTS), [3, 1, 1, 1]);
        assert_eq!(runs(&out[..2], 1), [1, 1]);
        assert_eq!(runs(&[sized(1, 0), sized(1, 0), sized(1, 10), sized(1, 0)], 8), [1, 1, 1, 1]);
        let (fits, too_long) = (MAX_SEGMENT_BYTES, MAX_SEGMENT_BYTES + 1);
        assert_eq!(runs(&[sized(1, fits), sized(1, fits)], 8), [2]);
        assert_eq!(runs(&[sized(1, too_long), sized(1, too_long), sized(1, 10)], 8), [1, 1, 1]);
    }

    #[test]
    fn a_run_stays_within_one_ip_packet() {
        let out: Vec<Transmit> = (0..MAX_SEGMENTS).map(|_| sized(1, 1400)).collect();
        let first = run_length(&out, MAX_SEGMENTS);
        assert_eq!(first, MAX_RUN_BYTES / 1400);
        assert!(first < MAX_SEGMENTS);
        assert_eq!(runs(&out, MAX_SEGMENTS).iter().sum::<usize>(), MAX_SEGMENTS);
    }
}
