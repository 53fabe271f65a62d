//! The embedding examples, run as built, under SIPp load: what they print
//! must match what they promise (90/10 answer split; deferred calls all
//! decided). Ports 33100-33199 are this file's.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The example's binary, built (once) by the cargo running these tests:
/// `cargo test` compiles examples but does not always leave them under
/// their plain names.
fn example(name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--example", "auto_answer", "--example", "deferred_answer"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("run cargo");
        assert!(status.success(), "cargo build of the examples failed");
    });
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_sipbench-server"));
    bin.parent().unwrap().join("examples").join(name)
}

/// Waits for `child` at most `limit`; kills it (by PID) past that.
fn finish(mut child: Child, limit: Duration) -> String {
    let until = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > until {
            let _ = child.kill();
            panic!("process {} ran past {limit:?}", child.id());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_string(&mut out).unwrap();
    }
    out
}

/// Runs `example` on `port` for `seconds` while SIPp's built-in uac makes
/// `calls` calls to it; returns the example's output.
fn run_under_sipp(name: &str, port: u16, seconds: u64, calls: u32) -> String {
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(example(name))
        .args([&listen, &seconds.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start example {name}: {e} (built by cargo test)"));
    std::thread::sleep(Duration::from_millis(300));
    let sipp = Command::new("sipp")
        .args(["-sn", "uac", &listen, "-i", "127.0.0.1", "-p", &(port + 1).to_string()])
        .args(["-m", &calls.to_string(), "-r", "50", "-l", "100", "-nostdin", "-timeout", "20s"])
        .args(["-mp", &(port + 10).to_string(), "-cp", &(port + 2).to_string(), "-recv_timeout", "3000"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run sipp: {e} (scripts/test.sh installs sip-tester)"));
    // SIPp counts our rejections as failed calls: its exit code is not
    // the point here, the example's own account is.
    finish(sipp, Duration::from_secs(30));
    finish(child, Duration::from_secs(seconds + 20))
}

fn numbers(line: &str) -> Vec<u64> {
    line.split(|c: char| !c.is_ascii_digit()).filter_map(|w| w.parse().ok()).collect()
}

#[test]
fn auto_answer_accepts_nine_in_ten() {
    let out = run_under_sipp("auto_answer", 33_100, 8, 100);
    let last = out.lines().last().unwrap_or_default();
    assert!(last.starts_with("answered"), "{out}");
    let n = numbers(last);
    assert_eq!((n[0], n[1]), (90, 10), "answered / rejected: {out}");
    assert_eq!(n[2], 90, "every answered call completed: {out}");
}

#[test]
fn deferred_answer_decides_every_call() {
    let out = run_under_sipp("deferred_answer", 33_150, 8, 60);
    let last = out.lines().last().unwrap_or_default();
    assert!(last.starts_with("answered"), "{out}");
    let n = numbers(last);
    assert_eq!(n[0] + n[1], 60, "each call answered or rejected: {out}");
    assert!(n[0] > 0 && n[1] > 0, "both outcomes occur: {out}");
}
