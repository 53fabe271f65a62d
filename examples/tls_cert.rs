//! Writes a throwaway test PKI (made now with rcgen; nothing secret is
//! committed) for the TLS load scripts: a CA, a server certificate for
//! 127.0.0.1/::1/localhost, a client certificate and an untrusted one.
//!
//!     cargo run --example tls_cert -- DIR
//!
//! Then: `sipbench-server --listen tls:127.0.0.1:5061 --tls-cert DIR/server.pem
//! --tls-key DIR/server.key` and `sipbench-client 127.0.0.1:5061 --transport tls
//! --tls-ca DIR/ca.pem`.

#[path = "../tests/common/certs.rs"]
mod certs;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: tls_cert DIR");
        std::process::exit(2);
    };
    let dir = std::path::PathBuf::from(dir);
    if let Err(e) = certs::TestPki::new().write(&dir) {
        eprintln!("cannot write {}: {e}", dir.display());
        std::process::exit(1);
    }
    println!("{}", dir.display());
}
