//! Sockets. UDP with SO_REUSEPORT (one socket per shard on the same
//! address) and batched I/O (`recvmmsg`/`sendmmsg` on Linux); TCP
//! listeners the same way; stream connections (`stream`: framing, plain
//! or TLS) and the TLS contexts (`tls`, rustls).

mod batch;
mod recv_batch;
mod segments;
#[cfg(target_os = "linux")]
mod steering;
pub mod stream;
mod tcp;
pub mod tls;
mod udp;

pub use batch::{BATCH_SIZE, send_batch};
pub use recv_batch::BatchReceiver;
pub use segments::UdpSendMode;
#[cfg(target_os = "linux")]
pub use steering::steer_by_call_id;
pub use tcp::{bind_tcp, bind_tcp_group, connect_tcp};
pub use udp::{bind_udp, bind_udp_group};
