//! Calls over TLS (rustls) between our own binaries, with certificates
//! made at run time: 10,000 calls at 1,000/s over long-lived connections,
//! calls with a connection each, mutual TLS, and a client whose
//! certificate the server does not trust, refused and counted.

use std::fs;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

use serde_json::Value;

mod common;
use common::certs::TestPki;
use common::sipp_run::*;

const CLIENT_BIN: &str = env!("CARGO_BIN_EXE_sipbench-client");

struct ClientRun {
    status: ExitStatus,
    json: Value,
    stdout: String,
}

impl ClientRun {
    fn calls(&self, key: &str) -> u64 {
        self.json["calls"][key].as_u64().unwrap_or_else(|| panic!("no calls.{key} in {}", self.json))
    }
}

fn run_client(dir: &Path, target: SocketAddr, args: &[&str], limit: Duration) -> ClientRun {
    let report = dir.join("client-report");
    let (out, err) = (dir.join("client.out"), dir.join("client.err"));
    let mut child = Command::new(CLIENT_BIN)
        .arg(target.to_string())
        .arg("--report")
        .arg(&report)
        .args(["--quiet", "--no-pin", "--transport", "tls"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out).expect("client.out"))
        .stderr(fs::File::create(&err).expect("client.err"))
        .spawn()
        .expect("spawn sipbench-client");
    let status = wait_with_limit(&mut child, limit)
        .unwrap_or_else(|| panic!("client ran past {limit:?}: {}", tail(&err, 2000)));
    let text = fs::read_to_string(report.join("summary.json"))
        .unwrap_or_else(|e| panic!("no client summary.json ({e}); exit {status}: {}", tail(&err, 2000)));
    ClientRun {
        status,
        json: serde_json::from_str(&text).expect("JSON"),
        stdout: fs::read_to_string(&out).unwrap_or_default(),
    }
}

/// A server listening on TLS with the PKI's server identity (and `extra`
/// flags); returns it with its TLS address.
fn tls_server(dir: &Path, pki: &Path, extra: &[&str]) -> Server {
    let probe = free_ports(LOOPBACK4);
    let tls = SocketAddr::new(LOOPBACK4, probe.server);
    let listen = format!("tls:{tls}");
    let (cert, key) = (pki.join("server.pem"), pki.join("server.key"));
    let mut args =
        vec!["--listen", &listen, "--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()];
    args.extend(extra);
    let mut server = Server::start(dir, LOOPBACK4, &args);
    server.addr = tls;
    server
}

fn pki(dir: &Path) -> std::path::PathBuf {
    let at = dir.join("pki");
    TestPki::new().write(&at).expect("write the test PKI");
    at
}

#[test]
fn ten_thousand_calls_at_1000_cps_over_tls() {
    let dir = scratch("tls_10k");
    let pki = pki(&dir);
    let server = tls_server(&dir, &pki, &["--shards", "2"]);
    let ca = pki.join("ca.pem");
    let args = ["--rate", "1000", "--calls", "10000", "--shards", "2", "--tls-ca", ca.to_str().unwrap()];
    let run = run_client(&dir, server.addr, &args, Duration::from_secs(120));
    let s = server.stop();
    assert!(run.status.success(), "client exit {}: {}", run.status, run.stdout);
    assert_eq!((run.calls("placed"), run.calls("completed"), run.calls("failed")), (10_000, 10_000, 0));
    assert_eq!(s.total("/calls/completed"), 10_000, "{}", s.stdout);
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
    // Long-lived: one connection per client shard carried every call.
    assert_eq!(s.total("/connections/accepted/tls"), 2, "{}", s.stdout);
    assert_eq!(s.total("/connections/closed_by_cause/tls"), 0, "{}", s.stdout);
    assert_eq!(run.json["connections"]["opened"]["tls"].as_u64(), Some(2), "{}", run.json);
}

#[test]
fn mutual_tls_accepts_the_trusted_client_and_refuses_the_other() {
    let dir = scratch("tls_mutual");
    let pki = pki(&dir);
    let client_ca = pki.join("ca.pem");
    let server = tls_server(&dir, &pki, &["--shards", "2", "--tls-client-ca", client_ca.to_str().unwrap()]);
    let path = |f: &str| pki.join(f).to_str().unwrap().to_owned();
    let (ca, cert, key) = (path("ca.pem"), path("client.pem"), path("client.key"));
    // A connection per call: every handshake checks the certificate.
    let args = ["--rate", "100", "--calls", "200", "--connections", "per-call", "--tls-ca", &ca];
    let trusted = [&args[..], &["--tls-cert", &cert, "--tls-key", &key]].concat();
    let run = run_client(&dir, server.addr, &trusted, Duration::from_secs(60));
    assert!(run.status.success(), "client exit {}: {}", run.status, run.stdout);
    assert_eq!(run.calls("completed"), 200, "{}", run.json);
    // No certificate, then one from a CA nobody trusts: refused in the
    // handshake, each call failing at once as a transport error.
    let (rogue_cert, rogue_key) = (path("rogue.pem"), path("rogue.key"));
    let none = ["--rate", "20", "--calls", "3", "--tls-ca", &ca];
    let rogue = [&none[..], &["--tls-cert", &rogue_cert, "--tls-key", &rogue_key]].concat();
    for bad in [&none[..], &rogue[..]] {
        let run = run_client(&dir, server.addr, bad, Duration::from_secs(30));
        assert_eq!(run.status.code(), Some(1), "{}", run.stdout);
        assert_eq!(run.json["calls"]["failed_by_reason"]["transport"].as_u64(), Some(3), "{}", run.json);
    }
    let s = server.stop();
    assert_eq!(s.total("/calls/completed"), 200, "{}", s.stdout);
    assert_eq!(s.total("/calls/received"), 200, "no INVITE got through: {}", s.stdout);
    assert!(s.total("/connections/closed_by_cause/tls") >= 2, "refusals counted: {}", s.stdout);
    // The per-call connections closed when their calls ended.
    assert_eq!(s.total("/connections/accepted/tls"), 200 + s.total("/connections/closed_by_cause/tls"));
}
