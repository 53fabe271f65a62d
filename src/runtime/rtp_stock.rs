//! A shard's stock of bound RTP port pairs. The core never binds: the
//! runtime takes pairs from the media pool's free list, binds them ahead
//! and tells the core their port numbers; when a call's media opens, the
//! sockets bound for its port go to the media thread with the stream.

use std::collections::HashMap;
use std::net::{IpAddr, UdpSocket};
use std::sync::Arc;

use crate::core::ShardCore;
use crate::media::{PortPool, bind_pair};

/// Pairs kept bound ahead per shard: a core step takes at most one.
const STOCK: usize = 4;
/// Pairs tried per refill: a port another program holds goes back to the
/// end of the free list.
const BIND_TRIES: usize = 8;

/// Bound pairs not yet streaming, by RTP port.
pub(crate) struct RtpStock {
    free: Arc<PortPool>,
    ip: IpAddr,
    bound: HashMap<u16, (UdpSocket, UdpSocket)>,
}

impl RtpStock {
    pub(crate) fn new(free: Arc<PortPool>, ip: IpAddr) -> RtpStock {
        RtpStock { free, ip, bound: HashMap::new() }
    }

    /// Tops the core's stock up with freshly bound pairs.
    pub(crate) fn refill(&mut self, core: &mut ShardCore) {
        let mut tries = 0;
        while core.rtp_ports_in_stock().is_some_and(|n| n < STOCK) && tries < BIND_TRIES {
            let Some(port) = self.free.acquire() else { return };
            match bind_pair(self.ip, port) {
                Ok(pair) => {
                    self.bound.insert(port, pair);
                    core.stock_rtp_port(port);
                }
                Err(_) => {
                    tries += 1;
                    self.free.release(port);
                }
            }
        }
    }

    /// The sockets bound for `port`, now handed to a stream.
    pub(crate) fn take(&mut self, port: u16) -> Option<(UdpSocket, UdpSocket)> {
        self.bound.remove(&port)
    }
}

impl Drop for RtpStock {
    fn drop(&mut self) {
        // Closing the sockets first: only then is the pair free.
        for (port, pair) in self.bound.drain() {
            drop(pair);
            self.free.release(port);
        }
    }
}
