//! Sockets. UDP with SO_REUSEPORT (one socket per shard on the same
//! address) and batched I/O (`recvmmsg`/`sendmmsg` on Linux).

mod batch;
mod udp;

pub use batch::{BATCH_SIZE, BatchReceiver, send_batch};
pub use udp::{bind_udp, bind_udp_group};
