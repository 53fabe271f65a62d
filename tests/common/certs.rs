//! A throwaway PKI made at run time (rcgen), nothing secret committed: a
//! CA, a server certificate it signs for 127.0.0.1, ::1 and localhost, a
//! client certificate it signs, and a client certificate from another,
//! untrusted CA. All PEM.
#![allow(dead_code)]

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};

/// One certificate and its key.
pub struct Identity {
    pub cert: String,
    pub key: String,
}

/// The test PKI.
pub struct TestPki {
    /// The CA certificate (trust anchor for both sides).
    pub ca: String,
    /// The server's identity (signed by the CA).
    pub server: Identity,
    /// A client identity signed by the CA.
    pub client: Identity,
    /// A client identity from another CA, which nobody trusts.
    pub rogue: Identity,
}

fn new_ca(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut p = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.distinguished_name.push(DnType::CommonName, name);
    CertifiedIssuer::self_signed(p, KeyPair::generate().expect("CA key")).expect("CA certificate")
}

fn leaf(names: &[&str], cn: &str, issuer: &CertifiedIssuer<'static, KeyPair>) -> Identity {
    let mut p =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).expect("params");
    p.distinguished_name.push(DnType::CommonName, cn);
    let key = KeyPair::generate().expect("key");
    let cert = p.signed_by(&key, issuer).expect("certificate");
    Identity { cert: cert.pem(), key: key.serialize_pem() }
}

impl TestPki {
    /// A fresh PKI.
    pub fn new() -> TestPki {
        let ca = new_ca("sipbench test CA");
        let rogue_ca = new_ca("nobody's CA");
        TestPki {
            server: leaf(&["127.0.0.1", "::1", "localhost"], "sipbench server", &ca),
            client: leaf(&["client.sipbench.test"], "sipbench client", &ca),
            rogue: leaf(&["rogue.sipbench.test"], "rogue client", &rogue_ca),
            ca: ca.pem(),
        }
    }

    /// Writes every file into `dir`: ca.pem, server.pem/.key,
    /// client.pem/.key, rogue.pem/.key.
    pub fn write(&self, dir: &std::path::Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("ca.pem"), &self.ca)?;
        for (name, id) in [("server", &self.server), ("client", &self.client), ("rogue", &self.rogue)] {
            std::fs::write(dir.join(format!("{name}.pem")), &id.cert)?;
            std::fs::write(dir.join(format!("{name}.key")), &id.key)?;
        }
        Ok(())
    }
}
