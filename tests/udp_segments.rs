//! Segmented UDP sends (GSO): runs of equal-length datagrams to one
//! destination go to the kernel as one send and arrive as the same
//! datagrams, in order; a run the kernel refuses is sent datagram by
//! datagram and each failure names its own datagram.

use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

use bytes::Bytes;
use sipbench::core::Transmit;
use sipbench::transport::{UdpSendMode, bind_udp, send_batch};
use sipbench::txn::{MessageKind, Peer};

fn socket() -> UdpSocket {
    // Room for every datagram a test sends before it reads.
    let s = bind_udp("127.0.0.1:0".parse().unwrap(), false, 4 << 20).unwrap();
    s.set_nonblocking(false).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    s
}

/// A datagram of `len` bytes to `to`, numbered `n` in its first bytes.
fn datagram(to: SocketAddr, n: usize, len: usize) -> Transmit {
    let mut data = format!("{n:04}").into_bytes();
    data.resize(len, b'.');
    Transmit { to: Peer::udp(to), data: Bytes::from(data), kind: MessageKind::Response(200), call: None }
}

fn receive_all(s: &UdpSocket, count: usize) -> Vec<Vec<u8>> {
    let mut buf = vec![0u8; 70_000];
    (0..count)
        .map(|_| {
            let n = s.recv(&mut buf).expect("a datagram");
            buf[..n].to_vec()
        })
        .collect()
}

#[test]
#[cfg(target_os = "linux")]
fn runs_arrive_as_the_same_datagrams_in_order() {
    let (ours, a, b) = (socket(), socket(), socket());
    let (to_a, to_b) = (a.local_addr().unwrap(), b.local_addr().unwrap());
    let mut mode = UdpSendMode::of(&ours);
    assert!(mode.segments, "this kernel segments UDP sends (Linux 4.18 and later)");
    // Runs to a: 40 × 741 then a shorter 346 ending it, 70 × 346 (cut at
    // 64 segments), one 1,000; to b between them: 3 × 346.
    let mut batch = Vec::new();
    let lens = (0..40).map(|_| 741).chain([346]).chain((0..70).map(|_| 346)).chain([1000]);
    for (n, len) in lens.enumerate() {
        batch.push(datagram(to_a, n, len));
        if n == 50 {
            batch.extend((0..3).map(|k| datagram(to_b, 1000 + k, 346)));
        }
    }
    let failed = send_batch(&ours, &mut mode, &batch);
    assert!(failed.is_empty(), "{failed:?}");
    assert!(mode.segments, "segmentation still on");
    let sent_to = |to: SocketAddr| batch.iter().filter(move |d| d.to.addr == to).map(|d| d.data.to_vec());
    assert_eq!(receive_all(&a, 112), sent_to(to_a).collect::<Vec<_>>());
    assert_eq!(receive_all(&b, 3), sent_to(to_b).collect::<Vec<_>>());
}

#[test]
#[cfg(target_os = "linux")]
fn a_refused_run_is_sent_datagram_by_datagram() {
    let (ours, a) = (socket(), socket());
    let to_a = a.local_addr().unwrap();
    // An IPv4 socket cannot send to an IPv6 address: the run of three is
    // refused whole, then each of its datagrams on its own.
    let v6: SocketAddr = "[::1]:9".parse().unwrap();
    let batch: Vec<Transmit> = [(to_a, 300), (v6, 300), (v6, 300), (v6, 300), (to_a, 300)]
        .into_iter()
        .enumerate()
        .map(|(n, (to, len))| datagram(to, n, len))
        .collect();
    let mut mode = UdpSendMode::of(&ours);
    let failed = send_batch(&ours, &mut mode, &batch);
    let indices: Vec<usize> = failed.iter().map(|(i, _)| *i).collect();
    assert_eq!(indices, [1, 2, 3], "{failed:?}");
    assert!(failed.iter().all(|(_, e)| e.raw_os_error() == Some(libc::EAFNOSUPPORT)), "{failed:?}");
    assert!(mode.segments, "a refused address does not turn segmentation off");
    let got = receive_all(&a, 2);
    assert_eq!(got, [batch[0].data.to_vec(), batch[4].data.to_vec()]);
}

#[test]
#[cfg(target_os = "linux")]
fn a_peers_earlier_error_is_the_first_datagrams_as_without_runs() {
    // A connected socket whose peer is gone: the port unreachable for a
    // first datagram waits on the socket, and the next send reports it.
    let ours = socket();
    let gone = socket().local_addr().unwrap();
    ours.connect(gone).unwrap();
    ours.send(b"probe").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    let batch: Vec<Transmit> = (0..3).map(|n| datagram(gone, n, 300)).collect();
    let mut mode = UdpSendMode::of(&ours);
    assert_eq!(mode.connected, Some(gone));
    let failed = send_batch(&ours, &mut mode, &batch);
    let first = failed.first().map(|(i, e)| (*i, e.raw_os_error()));
    assert_eq!(first, Some((0, Some(libc::ECONNREFUSED))), "{failed:?}");
    assert!(mode.segments, "a peer's error does not turn segmentation off");
}

#[test]
fn without_segmentation_every_datagram_still_goes() {
    let (ours, a) = (socket(), socket());
    let to_a = a.local_addr().unwrap();
    let batch: Vec<Transmit> = (0..100).map(|n| datagram(to_a, n, 200)).collect();
    let mut mode = UdpSendMode { connected: None, segments: false };
    assert!(send_batch(&ours, &mut mode, &batch).is_empty());
    let expected: Vec<Vec<u8>> = batch.iter().map(|d| d.data.to_vec()).collect();
    assert_eq!(receive_all(&a, 100), expected);
}
