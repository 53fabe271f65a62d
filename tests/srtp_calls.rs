//! SRTP end to end between the two binaries: `sipbench-client --media
//! play --srtp mandatory` calls `sipbench-server --media echo --srtp
//! mandatory`; every call's stream is encrypted both ways, the echo comes
//! back and decrypts (nothing lost, no authentication failure on either
//! side); and the policy's 488 between a plain client and a mandatory
//! server.

use std::fs;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

mod common;
use common::sipp_run::{Server, scratch, tail, wait_with_limit};

const CLIENT_BIN: &str = env!("CARGO_BIN_EXE_sipbench-client");
const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// Runs the client (killed by PID past `limit`); its summary.json.
fn run_client(dir: &Path, target: SocketAddr, args: &[&str], limit: Duration) -> Value {
    let report = dir.join("client-report");
    let err = dir.join("client.err");
    let mut child = Command::new(CLIENT_BIN)
        .arg(target.to_string())
        .arg("--report")
        .arg(&report)
        .args(["--quiet", "--no-pin"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(dir.join("client.out")).unwrap())
        .stderr(fs::File::create(&err).unwrap())
        .spawn()
        .expect("spawn sipbench-client");
    let status = wait_with_limit(&mut child, limit)
        .unwrap_or_else(|| panic!("client ran past {limit:?}: {}", tail(&err, 2000)));
    let text = fs::read_to_string(report.join("summary.json"))
        .unwrap_or_else(|e| panic!("no summary.json ({e}), exit {status}: {}", tail(&err, 2000)));
    serde_json::from_str(&text).unwrap()
}

fn n(v: &Value, pointer: &str) -> u64 {
    v.pointer(pointer).and_then(Value::as_u64).unwrap_or_else(|| panic!("no {pointer} in {v}"))
}

#[test]
fn two_hundred_encrypted_calls_echo_without_loss_or_auth_failure() {
    let dir = scratch("srtp_client_server");
    let server_args =
        ["--media", "echo", "--srtp", "mandatory", "--rtp-ports", "36000-36399", "--shards", "1"];
    let server = Server::start(&dir, LOOPBACK, &server_args);
    let args = [
        "--media",
        "play",
        "--srtp",
        "mandatory",
        "--rtp-ports",
        "36400-36799",
        "--calls",
        "200",
        "--rate",
        "100",
        "--duration-ms",
        "1000",
        "--shards",
        "1",
    ];
    let client = run_client(&dir, server.addr, &args, Duration::from_secs(60));
    let summary = server.stop();
    let calls = (n(&client, "/calls/placed"), n(&client, "/calls/completed"), n(&client, "/calls/failed"));
    assert_eq!(calls, (200, 200, 0), "{client}");
    let media = |p: &str| n(&client, &format!("/media/totals/{p}"));
    assert_eq!((media("streams_closed"), media("srtp_streams")), (200, 200), "{client}");
    // 1 s of 20 ms packets per call, 50 at best: the echo of most comes
    // back (the last ones cross the BYE). A loaded box starts streams
    // late, so only a tenth of that is required; no loss is allowed.
    assert!(media("packets_in") >= 200 * 5, "{client}");
    assert_eq!(media("lost"), 0, "{client}");
    for p in ["srtp_auth_failures", "srtp_replays", "srtp_unknown_ssrc", "malformed"] {
        assert_eq!(media(p), 0, "client {p}: {client}");
        assert_eq!(summary.media(p), 0, "server {p}: {}", summary.stdout);
    }
    assert_eq!(summary.media("srtp_streams"), 200, "{}", summary.stdout);
    assert_eq!(summary.media("lost"), 0, "{}", summary.stdout);
    assert!(summary.media("packets_in") >= 200 * 5, "{}", summary.stdout);
    assert!(summary.stdout.contains("srtp             200 encrypted streams"), "{}", summary.stdout);
}

#[test]
fn a_mandatory_server_refuses_a_plain_client_with_488() {
    let dir = scratch("srtp_refused");
    let server = Server::start(&dir, LOOPBACK, &["--srtp", "mandatory", "--shards", "1"]);
    let args = ["--srtp", "off", "--calls", "10", "--rate", "100", "--shards", "1"];
    let client = run_client(&dir, server.addr, &args, Duration::from_secs(30));
    let summary = server.stop();
    assert_eq!(n(&client, "/calls/rejected_by_code/488"), 10, "{client}");
    assert_eq!(summary.total("/calls/completed"), 0, "{}", summary.stdout);
}
