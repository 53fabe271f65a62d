//! The embedding examples, run as built, under SIPp load: what they print
//! must match what they promise (90/10 answer split; deferred calls all
//! decided, on threads or on tokio; bridged calls in pairs, each ended).
//! Ports 33100-33399 are this file's. The async example needs the
//! `async` feature (`cargo test --features async --test examples_sipp`).

use std::io::{BufRead, BufReader, Read};
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
        let mut args = vec!["build", "--example", "auto_answer", "--example", "deferred_answer"];
        args.extend(["--example", "b2bua_bridge"]);
        if cfg!(feature = "async") {
            args.extend(["--features", "async", "--example", "async_answer"]);
        }
        let status = Command::new(env!("CARGO"))
            .args(args)
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
    run_with(name, port, seconds, calls, &[], &[])
}

/// The same with more arguments for the example and for SIPp.
fn run_with(name: &str, port: u16, seconds: u64, calls: u32, more: &[&str], sipp_more: &[&str]) -> String {
    let listen = format!("127.0.0.1:{port}");
    let err_path = std::env::temp_dir().join(format!("sipbench-example-{name}-{port}.err"));
    let mut child = Command::new(example(name))
        .args([&listen, &seconds.to_string()])
        .args(more)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&err_path).expect("stderr file"))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start example {name}: {e} (built by cargo test)"));
    // Its first line says it listens: SIPp starts only then.
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut out = String::new();
    stdout.read_line(&mut out).unwrap();
    let err = || std::fs::read_to_string(&err_path).unwrap_or_default();
    assert!(out.contains(" on "), "{name} did not start: {out:?} {}", err());
    let sipp = Command::new("sipp")
        .args(["-sn", "uac", &listen, "-i", "127.0.0.1", "-p", &(port + 1).to_string()])
        .args(["-m", &calls.to_string(), "-r", "50", "-l", "100", "-nostdin", "-timeout", "20s"])
        .args(["-mp", &(port + 10).to_string(), "-cp", &(port + 2).to_string(), "-recv_timeout", "3000"])
        .args(sipp_more)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run sipp: {e} (scripts/test.sh installs sip-tester)"));
    // SIPp counts our rejections as failed calls: its exit code is not
    // the point here, the example's own account is.
    finish(sipp, Duration::from_secs(30));
    finish(child, Duration::from_secs(seconds + 20));
    stdout.read_to_string(&mut out).unwrap();
    out
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

#[test]
fn b2bua_bridge_pairs_calls_and_ends_both_halves() {
    // Calls last 1 s, so each one's partner arrives while it is up.
    let out = run_with("b2bua_bridge", 33_200, 8, 20, &["33300-33399"], &["-d", "1000"]);
    let bridged = out.lines().filter(|l| l.starts_with("bridged")).count();
    let ended = out.lines().filter(|l| l.contains(" ended (")).count();
    assert_eq!(bridged, 10, "20 calls in 10 pairs: {out}");
    assert_eq!(ended, 20, "every call ended and was reported: {out}");
}

#[cfg(feature = "async")]
#[test]
fn async_answer_decides_every_call_on_tokio() {
    let out = run_under_sipp("async_answer", 33_250, 8, 60);
    let last = out.lines().last().unwrap_or_default();
    assert!(last.starts_with("answered"), "{out}");
    let n = numbers(last);
    assert_eq!(n[0] + n[1], 60, "each call answered or rejected: {out}");
    assert!(n[0] > 0 && n[1] > 0, "both outcomes occur: {out}");
    assert_eq!(n[2], n[0], "every answered call completed: {out}");
}
