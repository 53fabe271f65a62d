//! Opens N idle connections to a SIP server and holds them (TLS: each
//! handshake completed), for scripts/conn-memory.sh to read the server's
//! memory per idle connection.
//!
//!     cargo run --release --example conn_hold -- tcp 127.0.0.1:5060 5000 10
//!     cargo run --release --example conn_hold -- tls 127.0.0.1:5061 5000 10 CA.pem
//!
//! Prints "holding N" once all are open, then sleeps S seconds and exits.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};

fn tls_config(ca: &str) -> Arc<rustls::ClientConfig> {
    let pem = std::fs::read(ca).expect("read the CA file");
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_slice_iter(&pem) {
        roots.add(c.expect("PEM certificate")).expect("trust anchor");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 5 {
        eprintln!("usage: conn_hold tcp|tls ADDR N SECONDS [CA.pem]");
        std::process::exit(2);
    }
    let (tls, target): (bool, SocketAddr) = (a[1] == "tls", a[2].parse().expect("ADDR"));
    let (n, secs): (usize, u64) = (a[3].parse().expect("N"), a[4].parse().expect("SECONDS"));
    let config = tls.then(|| tls_config(a.get(5).expect("a CA file for tls")));
    let mut held = Vec::with_capacity(n);
    for _ in 0..n {
        let mut sock = TcpStream::connect(target).expect("connect");
        if let Some(cfg) = &config {
            let name = ServerName::IpAddress(target.ip().into());
            let mut conn = rustls::ClientConnection::new(cfg.clone(), name).expect("TLS client");
            while conn.is_handshaking() {
                conn.complete_io(&mut sock).expect("TLS handshake");
            }
            let _ = sock.flush();
            held.push((sock, Some(conn)));
        } else {
            held.push((sock, None));
        }
    }
    println!("holding {}", held.len());
    std::thread::sleep(Duration::from_secs(secs));
}
