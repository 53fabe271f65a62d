//! The real `sipbench-client` binary against real peers: SIPp's own UAS
//! (`sipp -sn uas`), SIPp with a digest challenge scenario, and
//! `sipbench-server`. Each test checks both sides' counters. A missing
//! `sipp` is a failure, never a skip: `scripts/test.sh` installs it.

use std::fs;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use serde_json::Value;

mod common;
use common::sipp_run::*;

const CLIENT_BIN: &str = env!("CARGO_BIN_EXE_sipbench-client");
const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// What one client run left: its exit status and summary.json.
struct ClientRun {
    status: ExitStatus,
    json: Value,
    stdout: String,
}

impl ClientRun {
    fn calls(&self, key: &str) -> u64 {
        self.json["calls"][key].as_u64().unwrap_or_else(|| panic!("no calls.{key} in {}", self.json))
    }

    fn rejected_with(&self, code: &str) -> u64 {
        self.json["calls"]["rejected_by_code"][code].as_u64().unwrap_or(0)
    }
}

/// Runs the client against `target` with `args`, killed by PID past `limit`.
fn run_client(dir: &Path, target: SocketAddr, args: &[&str], limit: Duration) -> ClientRun {
    let report = dir.join("client-report");
    let (out, err) = (dir.join("client.out"), dir.join("client.err"));
    let mut child = Command::new(CLIENT_BIN)
        .arg(target.to_string())
        .arg("--report")
        .arg(&report)
        .args(["--quiet", "--no-pin"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out).expect("client.out"))
        .stderr(fs::File::create(&err).expect("client.err"))
        .spawn()
        .expect("spawn sipbench-client");
    let status = wait_with_limit(&mut child, limit)
        .unwrap_or_else(|| panic!("client ran past {limit:?}: {}", tail(&err, 2000)));
    let text = fs::read_to_string(report.join("summary.json")).unwrap_or_else(|e| {
        panic!("client wrote no summary.json ({e}); exit {status}: {}", tail(&err, 2000))
    });
    let json = serde_json::from_str(&text).expect("summary.json is JSON");
    ClientRun { status, json, stdout: fs::read_to_string(&out).unwrap_or_default() }
}

/// SIPp as a UAS on `ports`, exiting after `calls` calls.
fn start_sipp_uas(dir: &Path, ports: &Ports, scenario: Option<&str>, calls: u64) -> Child {
    require_sipp();
    let mut cmd = Command::new("sipp");
    match scenario {
        Some(s) => {
            let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("sipp").join(s);
            fs::copy(&src, dir.join(s)).expect("copy scenario");
            cmd.args(["-sf", s]);
        }
        None => {
            cmd.args(["-sn", "uas"]);
        }
    }
    cmd.current_dir(dir)
        .args(["-i", "127.0.0.1", "-p", &ports.server.to_string(), "-mp", &ports.media.to_string()])
        .args(["-cp", &ports.control.to_string(), "-m", &calls.to_string(), "-nostdin"])
        .args(["-trace_stat", "-stf", "stat.csv", "-fd", "1", "-trace_counts", "-trace_err"])
        .args(["-trace_screen", "-screen_file", "screen.log", "-timeout", "90s", "-timeout_error"])
        .stdin(Stdio::null())
        .stdout(fs::File::create(dir.join("sipp.out")).expect("sipp.out"))
        .stderr(fs::File::create(dir.join("sipp.err")).expect("sipp.err"))
        .spawn()
        .expect("spawn sipp")
}

/// Waits for the SIPp UAS to finish its calls and reads its statistics.
fn finish_sipp(dir: &Path, mut child: Child) -> Sipp {
    let status = wait_with_limit(&mut child, Duration::from_secs(100))
        .unwrap_or_else(|| panic!("sipp uas did not finish: {}", tail(&dir.join("sipp.err"), 2000)));
    let counts = fs::read_dir(dir)
        .expect("scratch dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("_counts.csv"))
        .expect("sipp wrote its message counts");
    let screen = fs::read_to_string(dir.join("screen.log")).unwrap_or_default();
    Sipp { status, stats: last_row(&dir.join("stat.csv")), counts: last_row(&counts), screen }
}

/// A scratch directory and a free port block for one SIPp UAS.
fn ready(test: &str) -> (PathBuf, Ports) {
    (scratch(test), free_ports(LOOPBACK))
}

#[test]
fn client_calls_sipp_uas_all_successful_on_both_sides() {
    let (dir, ports) = ready("client_sipp_uas");
    let sipp = start_sipp_uas(&dir, &ports, None, 200);
    // Let SIPp bind before the first INVITE.
    std::thread::sleep(Duration::from_millis(500));
    let target = SocketAddr::new(LOOPBACK, ports.server);
    let run = run_client(
        &dir,
        target,
        &["--rate", "100", "--calls", "200", "--shards", "2"],
        Duration::from_secs(60),
    );
    let sipp = finish_sipp(&dir, sipp);
    assert!(run.status.success(), "client exit {}: {}", run.status, run.stdout);
    assert_eq!(
        (run.calls("placed"), run.calls("completed"), run.calls("failed")),
        (200, 200, 0),
        "{}",
        run.json
    );
    sipp.assert_all_successful(200);
}

#[test]
fn client_answers_a_digest_challenge_from_sipp() {
    let (dir, ports) = ready("client_sipp_auth");
    let sipp = start_sipp_uas(&dir, &ports, Some("uas_auth.xml"), 20);
    std::thread::sleep(Duration::from_millis(500));
    let target = SocketAddr::new(LOOPBACK, ports.server);
    let args = ["--rate", "20", "--calls", "20", "--user", "alice", "--password", "secret"];
    let run = run_client(&dir, target, &args, Duration::from_secs(60));
    let sipp = finish_sipp(&dir, sipp);
    assert!(run.status.success(), "client exit {}: {}", run.status, run.stdout);
    assert_eq!(run.calls("completed"), 20, "{}", run.json);
    assert_eq!(run.calls("auth_retries"), 20, "{}", run.json);
    sipp.assert_all_successful(20);
    assert_eq!(sipp.count("_403_Sent"), 0, "SIPp's verifyauth refused our credentials");

    // Wrong credentials: SIPp's check refuses them, the client says so.
    let (dir, ports) = ready("client_sipp_auth_wrong");
    let sipp = start_sipp_uas(&dir, &ports, Some("uas_auth.xml"), 3);
    std::thread::sleep(Duration::from_millis(500));
    let target = SocketAddr::new(LOOPBACK, ports.server);
    let args = ["--rate", "10", "--calls", "3", "--user", "alice", "--password", "wrong"];
    let run = run_client(&dir, target, &args, Duration::from_secs(60));
    let _ = finish_sipp(&dir, sipp);
    assert_eq!(run.status.code(), Some(1), "rejected calls make the exit status 1");
    assert_eq!(run.rejected_with("403"), 3, "{}", run.json);
}

#[test]
fn ten_thousand_calls_to_sipbench_server_two_shards_each() {
    let dir = scratch("client_server_10k");
    let server = Server::start(&dir, LOOPBACK, &["--shards", "2"]);
    let args = ["--rate", "1000", "--calls", "10000", "--shards", "2", "--max-concurrent", "5000"];
    let run = run_client(&dir, server.addr, &args, Duration::from_secs(120));
    let summary = server.stop();
    assert!(run.status.success(), "client exit {}: {}", run.status, run.stdout);
    assert_eq!((run.calls("placed"), run.calls("completed"), run.calls("failed")), (10_000, 10_000, 0));
    assert_eq!(summary.total("/calls/completed"), 10_000, "{}", summary.stdout);
    assert_eq!(summary.total("/calls/failed"), 0, "{}", summary.stdout);
    assert!(summary.shard(0, "/calls/received") > 0 && summary.shard(1, "/calls/received") > 0);
}

/// Issue 26: `--max-concurrent` is the client's total over its shards (a
/// per-shard share never below one made 1 mean 2 on two shards). The
/// server holds one call at a time and refuses a second with 503, which
/// would fail the run.
#[test]
fn max_concurrent_counts_over_the_clients_shards() {
    let dir = scratch("client_max_concurrent");
    let server = Server::start(&dir, LOOPBACK, &["--shards", "1", "--max-concurrent", "1"]);
    let args =
        ["--rate", "100", "--calls", "6", "--shards", "2", "--max-concurrent", "1", "--duration-ms", "150"];
    let run = run_client(&dir, server.addr, &args, Duration::from_secs(60));
    let summary = server.stop();
    assert!(run.status.success(), "client exit {}: {}", run.status, run.json);
    assert_eq!((run.calls("completed"), summary.total("/calls/completed")), (6, 6), "{}", summary.stdout);
}

#[test]
fn cancel_percent_is_counted_as_cancelled_on_both_sides() {
    let dir = scratch("client_cancel");
    let server = Server::start(&dir, LOOPBACK, &["--ring-ms", "2000"]);
    let args = ["--rate", "50", "--calls", "100", "--cancel-percent", "30"];
    let run = run_client(&dir, server.addr, &args, Duration::from_secs(60));
    let summary = server.stop();
    assert!(run.status.success(), "client exit {}: {}", run.status, run.stdout);
    assert_eq!((run.calls("cancelled"), run.calls("completed")), (30, 70), "{}", run.json);
    assert_eq!(summary.total("/calls/cancelled"), 30, "{}", summary.stdout);
    assert_eq!(summary.total("/calls/completed"), 70, "{}", summary.stdout);
}

#[test]
fn unreachable_target_ends_calls_by_timer_b_and_exits_1() {
    let dir = scratch("client_timeout");
    let ports = free_ports(LOOPBACK);
    let target = SocketAddr::new(LOOPBACK, ports.server);
    let run = run_client(&dir, target, &["--calls", "2", "--t1-ms", "20"], Duration::from_secs(30));
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(run.json["calls"]["failed_by_reason"]["invite_timeout"].as_u64(), Some(2), "{}", run.json);
}

/// The flags renamed so that no name means two things (`--max-calls` was
/// concurrent calls in the server and the total in the client) are
/// refused with exit 2 and a pointer to the new name, before anything
/// starts.
#[test]
fn renamed_flags_are_refused_with_their_new_names() {
    let refused = |bin: &str, args: &[&str], new_name: &str| {
        let out = Command::new(bin).args(args).stdin(Stdio::null()).output().expect("run the binary");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bin} {args:?}: {err}");
        assert!(err.contains(new_name), "{bin} {args:?} names {new_name}: {err}");
    };
    refused(SERVER_BIN, &["--max-calls", "50"], "--max-concurrent");
    refused(CLIENT_BIN, &["127.0.0.1:9", "--max-calls", "5"], "--calls");
    refused(CLIENT_BIN, &["127.0.0.1:9", "--concurrency", "5"], "--max-concurrent");
}

/// SIPp as a UAS whose 180 is reliable (RFC 3262): the client says
/// Supported: 100rel (SIPp checks), PRACKs each 180 with the right RAck
/// (SIPp checks) and gets the 200 SIPp sends only after the PRACK.
#[test]
fn client_pracks_sipps_reliable_180() {
    let (dir, ports) = ready("client_sipp_100rel");
    let sipp = start_sipp_uas(&dir, &ports, Some("uas_100rel.xml"), 10);
    std::thread::sleep(Duration::from_millis(500));
    let target = SocketAddr::new(LOOPBACK, ports.server);
    let args = ["--rate", "10", "--calls", "10", "--duration-ms", "200"];
    let run = run_client(&dir, target, &args, Duration::from_secs(60));
    let sipp = finish_sipp(&dir, sipp);
    assert!(run.status.success(), "client exit {}: {}", run.status, run.stdout);
    assert_eq!(run.calls("completed"), 10, "{}", run.json);
    assert_eq!(run.calls("pracks_sent"), 10, "{}", run.json);
    sipp.assert_all_successful(10);
}
