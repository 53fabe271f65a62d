//! TLS with rustls (ring crypto): what the application gives (PEM
//! certificates and keys, trust anchors) and the server and client
//! contexts the runtime makes connections from.

mod contexts;

use std::net::IpAddr;
use std::sync::Arc;

pub use contexts::TlsContexts;
use rustls::pki_types::ServerName;

/// TLS settings, all PEM text. Listening on TLS needs `cert_pem` and
/// `key_pem`; calls we place over TLS present them too when given (mutual
/// TLS). Nothing here is read from disk: the caller loads the files.
#[derive(Clone, Default)]
pub struct TlsConfig {
    /// Our certificate chain (leaf first).
    pub cert_pem: Option<Vec<u8>>,
    /// Our private key (PKCS#8, PKCS#1 or SEC1).
    pub key_pem: Option<Vec<u8>>,
    /// Require a client certificate issued by one of these (mutual TLS);
    /// None: clients present none.
    pub client_ca_pem: Option<Vec<u8>>,
    /// Trust anchors for the servers we call, beside the system's roots:
    /// a CA, or a server's self-signed certificate.
    pub ca_pem: Option<Vec<u8>>,
    /// Trust the system's root certificates too (default in `new`).
    pub system_roots: bool,
    /// The name the server we call must prove and that we send as SNI
    /// (None: the target's IP address, checked against the certificate's
    /// IP addresses; no SNI is sent for an address).
    pub server_name: Option<String>,
}

impl std::fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("TlsConfig")
            .field("cert", &self.cert_pem.is_some())
            .field("key", &self.key_pem.as_ref().map(|_| "<redacted>"))
            .field("client_ca", &self.client_ca_pem.is_some())
            .field("ca", &self.ca_pem.is_some())
            .field("system_roots", &self.system_roots)
            .field("server_name", &self.server_name)
            .finish()
    }
}

impl TlsConfig {
    /// No identity, the system's roots trusted.
    pub fn new() -> TlsConfig {
        TlsConfig { system_roots: true, ..TlsConfig::default() }
    }

    /// Our certificate chain and key (PEM).
    pub fn identity(mut self, cert_pem: impl Into<Vec<u8>>, key_pem: impl Into<Vec<u8>>) -> TlsConfig {
        self.cert_pem = Some(cert_pem.into());
        self.key_pem = Some(key_pem.into());
        self
    }

    /// Require client certificates issued by these CAs (PEM).
    pub fn client_ca(mut self, pem: impl Into<Vec<u8>>) -> TlsConfig {
        self.client_ca_pem = Some(pem.into());
        self
    }

    /// Trust these certificates (PEM) for the servers we call.
    pub fn trust(mut self, pem: impl Into<Vec<u8>>) -> TlsConfig {
        self.ca_pem = Some(pem.into());
        self
    }

    /// The server name to verify and send as SNI.
    pub fn server_name(mut self, name: &str) -> TlsConfig {
        self.server_name = Some(name.to_owned());
        self
    }
}

/// The name a server at `ip` must prove: the configured one, else its
/// address.
pub(crate) fn name_for(configured: &Option<Arc<ServerName<'static>>>, ip: IpAddr) -> ServerName<'static> {
    match configured {
        Some(n) => (**n).clone(),
        None => ServerName::IpAddress(ip.into()),
    }
}
