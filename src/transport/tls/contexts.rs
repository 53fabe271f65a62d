//! The rustls contexts built from a `TlsConfig`, once, when the engine's
//! configuration is checked: a bad certificate or key is a configuration
//! error, not a failure at the first connection.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConfig, RootCertStore, ServerConfig};

use super::TlsConfig;

/// What TLS connections are made from.
#[derive(Clone)]
pub struct TlsContexts {
    /// Our server side (None: no identity, so no TLS listener).
    pub server: Option<Arc<ServerConfig>>,
    /// Our client side.
    pub client: Arc<ClientConfig>,
    /// The server name to verify (None: the target's address).
    pub server_name: Option<Arc<ServerName<'static>>>,
}

impl std::fmt::Debug for TlsContexts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsContexts").field("server", &self.server.is_some()).finish()
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn certs(pem: &[u8], what: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs: Vec<_> = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{what}: not PEM certificates ({e})"))?;
    if certs.is_empty() {
        return Err(format!("{what}: no certificate in the PEM text"));
    }
    Ok(certs)
}

fn roots(pem: &[u8], what: &str) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    for c in certs(pem, what)? {
        store.add(c).map_err(|e| format!("{what}: {e}"))?;
    }
    Ok(store)
}

impl TlsContexts {
    /// Builds both sides; the error says which setting is wrong.
    pub fn build(cfg: &TlsConfig) -> Result<TlsContexts, String> {
        let identity = match (&cfg.cert_pem, &cfg.key_pem) {
            (Some(c), Some(k)) => {
                let key = PrivateKeyDer::from_pem_slice(k)
                    .map_err(|e| format!("key: not a PEM private key ({e})"))?;
                Some((certs(c, "certificate")?, key))
            }
            (None, None) => None,
            _ => return Err("a certificate needs its key and a key its certificate".into()),
        };
        let versions = |e: rustls::Error| format!("protocol versions: {e}");
        let server = match &identity {
            Some((chain, key)) => {
                let b = ServerConfig::builder_with_provider(provider())
                    .with_safe_default_protocol_versions()
                    .map_err(versions)?;
                let b = match &cfg.client_ca_pem {
                    Some(pem) => {
                        let verifier = WebPkiClientVerifier::builder_with_provider(
                            Arc::new(roots(pem, "client CA")?),
                            provider(),
                        )
                        .build()
                        .map_err(|e| format!("client CA: {e}"))?;
                        b.with_client_cert_verifier(verifier)
                    }
                    None => b.with_no_client_auth(),
                };
                let config = b
                    .with_single_cert(chain.clone(), key.clone_key())
                    .map_err(|e| format!("certificate: {e}"))?;
                Some(Arc::new(config))
            }
            None if cfg.client_ca_pem.is_some() => return Err("a client CA needs our own certificate".into()),
            None => None,
        };
        let mut trusted = RootCertStore::empty();
        if cfg.system_roots {
            // Unreadable system certificates are skipped, not fatal.
            for c in rustls_native_certs::load_native_certs().certs {
                let _ = trusted.add(c);
            }
        }
        if let Some(pem) = &cfg.ca_pem {
            for c in certs(pem, "CA")? {
                trusted.add(c).map_err(|e| format!("CA: {e}"))?;
            }
        }
        let b = ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(versions)?
            .with_root_certificates(trusted);
        let client = match identity {
            Some((chain, key)) => {
                b.with_client_auth_cert(chain, key).map_err(|e| format!("certificate: {e}"))?
            }
            None => b.with_no_client_auth(),
        };
        let server_name = match &cfg.server_name {
            Some(n) => Some(Arc::new(
                ServerName::try_from(n.clone())
                    .map_err(|_| format!("server name {n:?} is not a DNS name or address"))?,
            )),
            None => None,
        };
        Ok(TlsContexts { server, client: Arc::new(client), server_name })
    }
}
