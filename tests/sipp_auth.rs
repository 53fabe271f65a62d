//! Digest authentication on the real server: SIPp callers answering its
//! challenges (MD5: SIPp 3.6 knows no other hash), a wrong password
//! refused 403 after the retries, and our own client answering the
//! SHA-256 challenge it offers first. Bounded runs on loopback.

use std::fs;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

mod common;
use common::sipp_run::*;

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// A users file in `dir`: alice's password, and bob by HA1 (MD5).
fn users_file(dir: &Path) -> String {
    let ha1 = sipbench::sip::digest::hex_digest(
        sipbench::sip::digest::DigestAlgorithm::Md5,
        b"bob:sipbench.test:hunter2",
    );
    let path = dir.join("users.txt");
    fs::write(&path, format!("# test users\nalice:secret\nbob:sipbench.test:{ha1}\n")).unwrap();
    path.to_string_lossy().into_owned()
}

/// 1,000 SIPp calls at 200/s, each challenged once and authenticated.
#[test]
fn a_thousand_sipp_calls_at_200_cps_all_authenticated() {
    let dir = scratch("auth_thousand");
    let users = users_file(&dir);
    let flags = [
        "--shards",
        "2",
        "--auth-realm",
        "sipbench.test",
        "--auth-users",
        &users,
        "--auth-algorithms",
        "md5",
    ];
    let server = Server::start(&dir, LOOPBACK, &flags);
    let extra = ["-m", "1000", "-r", "200", "-l", "400", "-d", "50", "-au", "alice", "-ap", "secret"];
    let sipp = run_sipp(&dir, &server, "uac_auth.xml", &extra, Duration::from_secs(60));
    let summary = server.stop();
    sipp.assert_all_successful(1000);
    assert_eq!(summary.total("/auth/challenged"), 1000, "{}", summary.json);
    assert_eq!(summary.total("/auth/accepted"), 1000, "{}", summary.json);
    assert_eq!(summary.total("/auth/failed"), 0, "{}", summary.json);
    assert_eq!(summary.total("/calls/received"), 1000, "only authenticated INVITEs make calls");
    assert_eq!(summary.total("/calls/completed"), 1000, "{}", summary.json);

    // An HA1 line authenticates bob the same way.
    let dir = scratch("auth_ha1");
    let users = users_file(&dir);
    let flags = ["--auth-realm", "sipbench.test", "--auth-users", &users, "--auth-algorithms", "md5"];
    let server = Server::start(&dir, LOOPBACK, &flags);
    let extra = ["-m", "5", "-r", "10", "-d", "10", "-au", "bob", "-ap", "hunter2"];
    let sipp = run_sipp(&dir, &server, "uac_auth.xml", &extra, Duration::from_secs(30));
    let summary = server.stop();
    sipp.assert_all_successful(5);
    assert_eq!(summary.total("/auth/accepted"), 5, "{}", summary.json);
}

/// A wrong password: re-challenged, then 403 at the failure limit; the
/// source stays refused even with the right password until its window
/// passes.
#[test]
fn a_wrong_password_gets_403_after_the_retries() {
    let dir = scratch("auth_wrong");
    let users = users_file(&dir);
    // Failures count per shard (like the source limiter): one shard,
    // so that both runs' calls meet the same count.
    let flags = [
        "--shards",
        "1",
        "--auth-realm",
        "sipbench.test",
        "--auth-users",
        &users,
        "--auth-algorithms",
        "md5",
        "--auth-max-failures",
        "2",
    ];
    let server = Server::start(&dir, LOOPBACK, &flags);
    let extra = ["-m", "1", "-au", "alice", "-ap", "wrong"];
    let sipp = run_sipp(&dir, &server, "uac_auth_wrong.xml", &extra, Duration::from_secs(30));
    sipp.assert_all_successful(1);
    // The right password from the same address: 403 at once.
    let extra = ["-m", "1", "-au", "alice", "-ap", "secret"];
    let sipp = run_sipp(&dir, &server, "uac_auth.xml", &extra, Duration::from_secs(30));
    assert_eq!(sipp.failed(), 1, "the source is still refused: {}", sipp.screen);
    let summary = server.stop();
    assert_eq!(summary.total("/auth/failed"), 2, "{}", summary.json);
    assert_eq!(summary.total("/auth/forbidden_403"), 2, "{}", summary.json);
    assert_eq!(summary.total("/auth/accepted"), 0, "{}", summary.json);
    assert_eq!(summary.total("/calls/received"), 0, "{}", summary.json);
}

/// sipbench-client against sipbench-server with the default offer
/// (SHA-256 first, then MD5): every call answers the SHA-256 challenge.
#[test]
fn our_client_answers_the_servers_sha256_challenge() {
    let dir = scratch("auth_client_sha256");
    let users = users_file(&dir);
    let server = Server::start(&dir, LOOPBACK, &["--auth-realm", "sipbench.test", "--auth-users", &users]);
    let report = dir.join("client-report");
    let err = dir.join("client.err");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sipbench-client"))
        .arg(server.addr.to_string())
        .arg("--report")
        .arg(&report)
        .args(["--quiet", "--no-pin", "--shards", "1", "--rate", "100", "--calls", "200"])
        .args(["--user", "alice", "--password", "secret", "--duration-ms", "20"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&err).unwrap())
        .spawn()
        .expect("spawn sipbench-client");
    let status = wait_with_limit(&mut child, Duration::from_secs(60)).expect("client ran past 60 s");
    let summary = server.stop();
    let text = fs::read_to_string(report.join("summary.json"))
        .unwrap_or_else(|e| panic!("{e}: {}", tail(&err, 2000)));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(status.success(), "client exit {status}: {json}");
    assert_eq!(json["calls"]["completed"], 200, "{json}");
    assert_eq!(json["calls"]["auth_retries"], 200, "{json}");
    assert_eq!(summary.total("/auth/accepted"), 200, "{}", summary.json);
    assert_eq!(summary.total("/calls/completed"), 200, "{}", summary.json);
}
