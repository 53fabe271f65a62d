//! The transport flags both binaries take: listeners with a scheme, our
//! TLS identity, and the limits on TCP/TLS connections.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;

use crate::{StreamLimits, TlsConfig, Transport};

/// `udp:ADDR`, `tcp:ADDR`, `tls:ADDR`, or a bare `ADDR` (UDP).
pub fn listen_arg(s: &str) -> Result<(Transport, SocketAddr), String> {
    let (t, addr) = match s.split_once(':') {
        Some(("udp", a)) => (Transport::Udp, a),
        Some(("tcp", a)) => (Transport::Tcp, a),
        Some(("tls", a)) => (Transport::Tls, a),
        _ => (Transport::Udp, s),
    };
    let addr = addr.parse().map_err(|_| format!("{s:?}: expected [udp:|tcp:|tls:]IP:PORT"))?;
    Ok((t, addr))
}

/// Reads a PEM file named by a flag.
pub fn read_pem(flag: &str, path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{flag} {}: {e}", path.display()))
}

/// Flags on TLS identity and stream connection limits.
#[derive(Args, Debug, Clone)]
pub struct TransportArgs {
    /// Our certificate chain, PEM (to listen on TLS; the client presents it for mutual TLS).
    /// Example: --tls-cert certs/server.pem
    #[arg(long)]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert, PEM. Example: --tls-key certs/server.key
    #[arg(long)]
    pub tls_key: Option<PathBuf>,
    /// Most TCP/TLS connections open at once; beyond, new ones are refused. Example: --max-connections 4096
    #[arg(long, default_value_t = 16_384)]
    pub max_connections: usize,
    /// Most connections accepted from one source address. Example: --max-connections-per-source 256
    #[arg(long, default_value_t = 4_096)]
    pub max_connections_per_source: u32,
    /// Close a connection with no traffic for this long, ms. Example: --idle-timeout-ms 60000
    #[arg(long, default_value_t = 120_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout_ms: u64,
    /// A message (or TLS handshake) must complete this long after its first byte, ms
    /// (slowloris). Example: --message-timeout-ms 5000
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub message_timeout_ms: u64,
    /// Output held for a peer that does not read before we stop reading it, bytes
    /// (closed at 4x). Example: --max-output-bytes 65536
    #[arg(long, default_value_t = 256 * 1024)]
    pub max_output_bytes: usize,
}

impl TransportArgs {
    /// The connection limits.
    pub fn limits(&self) -> StreamLimits {
        StreamLimits {
            max_connections: self.max_connections,
            max_per_source: self.max_connections_per_source,
            idle_timeout: Duration::from_millis(self.idle_timeout_ms),
            message_timeout: Duration::from_millis(self.message_timeout_ms),
            max_output: self.max_output_bytes,
        }
    }

    /// Our TLS identity from --tls-cert and --tls-key (None: neither given).
    pub fn tls_identity(&self) -> Result<Option<TlsConfig>, String> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(c), Some(k)) => {
                Ok(Some(TlsConfig::new().identity(read_pem("--tls-cert", c)?, read_pem("--tls-key", k)?)))
            }
            (None, None) => Ok(None),
            _ => Err("--tls-cert and --tls-key go together".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_schemes() {
        let a: SocketAddr = "127.0.0.1:5060".parse().unwrap();
        assert_eq!(listen_arg("127.0.0.1:5060"), Ok((Transport::Udp, a)));
        assert_eq!(listen_arg("udp:127.0.0.1:5060"), Ok((Transport::Udp, a)));
        assert_eq!(listen_arg("tcp:127.0.0.1:5060"), Ok((Transport::Tcp, a)));
        assert_eq!(listen_arg("tls:[::1]:5061").map(|l| l.0), Ok(Transport::Tls));
        assert!(listen_arg("sctp:127.0.0.1:5060").is_err());
        assert!(listen_arg("tcp:nowhere").is_err());
    }
}
