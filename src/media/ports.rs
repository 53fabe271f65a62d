//! RTP port pairs from a lock-free free list: even RTP port, RTCP on the
//! next odd one. A pair returns to the list only once its sockets are
//! closed, so a port is never handed out twice.

use std::io;
use std::net::{IpAddr, SocketAddr, UdpSocket};

use crossbeam::queue::ArrayQueue;

/// Binds the RTP socket on `port` and the RTCP socket on `port + 1`.
pub fn bind_pair(ip: IpAddr, port: u16) -> io::Result<(UdpSocket, UdpSocket)> {
    let rtp = UdpSocket::bind(SocketAddr::new(ip, port))?;
    let rtcp = UdpSocket::bind(SocketAddr::new(ip, port.wrapping_add(1)))?;
    Ok((rtp, rtcp))
}

/// The free even ports of `--rtp-ports A-B`.
#[derive(Debug)]
pub struct PortPool {
    free: ArrayQueue<u16>,
    range: (u16, u16),
}

impl PortPool {
    /// Every even port `p` with `start <= p` and `p + 1 <= end` (both
    /// inclusive), in order.
    pub fn new(start: u16, end: u16) -> PortPool {
        let first = start.saturating_add(start % 2);
        let ports: Vec<u16> = (first..end).step_by(2).collect();
        let free = ArrayQueue::new(ports.len().max(1));
        for p in ports {
            let _ = free.push(p);
        }
        PortPool { free, range: (first, end) }
    }

    /// Takes a free pair (its RTP port), or `None` when all are in use.
    pub fn acquire(&self) -> Option<u16> {
        self.free.pop()
    }

    /// Gives a pair back once its sockets are closed. A port outside the
    /// range is ignored.
    pub fn release(&self, port: u16) {
        if port.is_multiple_of(2) && port >= self.range.0 && port < self.range.1 {
            let _ = self.free.push(port);
        }
    }

    /// Pairs free now.
    pub fn free(&self) -> usize {
        self.free.len()
    }

    /// Pairs in the range.
    pub fn capacity(&self) -> usize {
        self.free.capacity()
    }

    /// The lowest port of the range.
    pub fn first(&self) -> u16 {
        self.range.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn even_pairs_within_the_range() {
        let pool = PortPool::new(30_001, 30_008);
        let got: Vec<u16> = std::iter::from_fn(|| pool.acquire()).collect();
        assert_eq!(got, vec![30_002, 30_004, 30_006]);
        assert_eq!(pool.acquire(), None);
        pool.release(30_004);
        pool.release(31_000);
        pool.release(30_003);
        assert_eq!((pool.free(), pool.acquire()), (1, Some(30_004)));
    }

    #[test]
    fn concurrent_takers_never_share_a_port() {
        let pool = Arc::new(PortPool::new(20_000, 20_400));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let pool = pool.clone();
                std::thread::spawn(move || {
                    let mut mine = Vec::new();
                    for round in 0..2_000 {
                        if let Some(p) = pool.acquire() {
                            mine.push(p);
                        }
                        if round % 3 == 0
                            && let Some(p) = mine.pop()
                        {
                            pool.release(p);
                        }
                    }
                    mine
                })
            })
            .collect();
        let mut held: Vec<u16> = threads.into_iter().flat_map(|t| t.join().unwrap()).collect();
        let n = held.len();
        held.sort_unstable();
        held.dedup();
        assert_eq!(held.len(), n, "a port was handed out twice");
        assert_eq!(n + pool.free(), pool.capacity());
    }
}
