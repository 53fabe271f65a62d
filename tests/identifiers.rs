//! Issue 26, defect 1, on the wire: tags, branches and Call-IDs are
//! unique over space and time and unguessable (RFC 3261 sections 8.1.1.4,
//! 8.1.1.7, 19.3). Two `sipbench-server` processes answer 1,000 SIPp calls
//! each and hang up themselves (their To tags and BYE branches), and two
//! `sipbench-client` runs place 1,000 calls each to one SIPp UAS (their
//! Call-IDs, From tags and INVITE/ACK/BYE branches). SIPp's message trace
//! is the capture. Across all four processes no identifier may repeat, and
//! each process's identifiers must not be a counter: at least 32 bits vary
//! from one to the next. A second client run against the same SIPp also
//! proves it: SIPp takes a Call-ID it saw before for a dead call. The
//! client's From, Contact and Via name the port it really listens on.
//! `tests/core_identifiers.rs` checks 10,000 of each without sockets.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

mod common;
use common::identifiers::{check_the_estimate, identifier_faults};
use common::sipp_run::*;

const CLIENT_BIN: &str = env!("CARGO_BIN_EXE_sipbench-client");
const CALLS: u64 = 1_000;

/// One SIP message from a SIPp `-trace_msg` log, with its direction.
struct Traced {
    received: bool,
    text: String,
}

/// Every message of the `*_messages.log` SIPp wrote in `dir`.
fn sipp_trace(dir: &Path) -> Vec<Traced> {
    let log = fs::read_dir(dir)
        .expect("scratch dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("_messages.log"))
        .unwrap_or_else(|| panic!("SIPp wrote no message trace in {}", dir.display()));
    let text = fs::read_to_string(&log).expect("read the trace");
    text.split("\n-----------------------------------------------")
        .filter_map(|block| {
            let mut lines = block.lines().skip(1);
            let received = lines.next()?.contains("message received");
            let text: Vec<&str> = lines.skip_while(|l| l.trim().is_empty()).collect();
            Some(Traced { received, text: text.join("\r\n") })
        })
        .filter(|t| !t.text.is_empty())
        .collect()
}

/// A header's value by long or compact name (first occurrence).
fn header<'a>(msg: &'a str, names: &[&str]) -> Option<&'a str> {
    msg.lines().take_while(|l| !l.trim().is_empty()).skip(1).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        names.iter().any(|x| n.trim().eq_ignore_ascii_case(x)).then(|| v.trim())
    })
}

/// A `;name=value` parameter of a header value.
fn param<'a>(value: &'a str, name: &str) -> Option<&'a str> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim().trim_end_matches('>'))
    })
}

/// The port of the URI in a From/To/Contact value (`<sip:u@h:p>;tag=..`).
fn uri_port(value: &str) -> Option<u16> {
    let uri = value.split('<').nth(1).map_or(value, |v| v.split('>').next().unwrap_or(v));
    let host_port = uri.split('@').next_back()?.split(';').next()?;
    host_port.rsplit_once(':')?.1.parse().ok()
}

/// The sent-by port of a Via value.
fn via_port(value: &str) -> Option<u16> {
    let sent_by = value.split_whitespace().nth(1)?.split(';').next()?;
    sent_by.rsplit_once(':')?.1.parse().ok()
}

fn start_line(msg: &str) -> &str {
    msg.lines().next().unwrap_or("")
}

fn cseq(msg: &str) -> &str {
    header(msg, &["CSeq"]).unwrap_or("")
}

#[test]
fn the_estimate_tells_counters_from_random_identifiers() {
    check_the_estimate();
}

/// The server's To tags (from its 200s) and BYE branches, as SIPp saw them.
fn server_identifiers(n: usize) -> (Vec<String>, Vec<String>) {
    let dir = scratch(&format!("identifiers_server{n}"));
    let server = Server::start(&dir, LOOPBACK4, &["--shards", "2", "--duration-ms", "20"]);
    let extra = ["-m", &CALLS.to_string(), "-r", "1000", "-l", "2000", "-trace_msg"];
    let sipp = run_sipp(&dir, &server, "uac_server_bye.xml", &extra, Duration::from_secs(120));
    let summary = server.stop();
    sipp.assert_all_successful(CALLS);
    assert_eq!(summary.total("/calls/completed"), CALLS, "{}", summary.stdout);
    let (mut tags, mut branches) = (Vec::new(), Vec::new());
    let mut seen_tx = HashSet::new();
    for m in sipp_trace(&dir).into_iter().filter(|m| m.received) {
        let line = start_line(&m.text);
        if line.starts_with("SIP/2.0 200") && cseq(&m.text).ends_with("INVITE") {
            let to = header(&m.text, &["To", "t"]).expect("To");
            let tag = param(to, "tag").expect("a To tag").to_string();
            if seen_tx.insert(("200", tag.clone())) {
                tags.push(tag);
            }
        } else if line.starts_with("BYE ") {
            let via = header(&m.text, &["Via", "v"]).expect("Via");
            let branch = param(via, "branch").expect("a branch").to_string();
            if seen_tx.insert(("BYE", branch.clone())) {
                branches.push(branch);
            }
        }
    }
    assert_eq!((tags.len() as u64, branches.len() as u64), (CALLS, CALLS), "one tag and one BYE per call");
    (tags, branches)
}

/// SIPp as a UAS for `calls` calls, tracing every message.
fn sipp_uas(dir: &Path, ports: &Ports, calls: u64) -> Child {
    require_sipp();
    Command::new("sipp")
        .current_dir(dir)
        .args([
            "-sn",
            "uas",
            "-i",
            "127.0.0.1",
            "-p",
            &ports.server.to_string(),
            "-mp",
            &ports.media.to_string(),
        ])
        .args(["-cp", &ports.control.to_string(), "-m", &calls.to_string(), "-nostdin", "-trace_msg"])
        .args(["-trace_stat", "-stf", "stat.csv", "-fd", "1", "-timeout", "200s", "-timeout_error"])
        .stdin(Stdio::null())
        .stdout(fs::File::create(dir.join("sipp.out")).expect("sipp.out"))
        .stderr(fs::File::create(dir.join("sipp.err")).expect("sipp.err"))
        .spawn()
        .expect("spawn sipp")
}

/// One client run of `CALLS` calls: its exit status and completed calls.
fn client_run(dir: &Path, n: usize, target: SocketAddr) -> (String, u64) {
    let report = dir.join(format!("client{n}"));
    let mut child = Command::new(CLIENT_BIN)
        .arg(target.to_string())
        .arg("--report")
        .arg(&report)
        .args(["--quiet", "--no-pin", "--shards", "2", "--rate", "1000", "--calls", &CALLS.to_string()])
        .stdin(Stdio::null())
        .stdout(fs::File::create(dir.join(format!("client{n}.out"))).expect("client out"))
        .stderr(fs::File::create(dir.join(format!("client{n}.err"))).expect("client err"))
        .spawn()
        .expect("spawn sipbench-client");
    let status = wait_with_limit(&mut child, Duration::from_secs(120)).expect("the client run ended");
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(report.join("summary.json")).expect("summary.json"))
            .unwrap();
    (format!("{status}: {}", json["calls"]), json["calls"]["completed"].as_u64().unwrap_or(0))
}

#[test]
fn identifiers_from_two_servers_and_two_client_runs_never_collide() {
    let mut tags: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut branches: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut call_ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for n in 0..2 {
        let (t, b) = server_identifiers(n);
        tags.insert(format!("server {n}"), t);
        branches.insert(format!("server {n}"), b);
    }

    // Both client runs call the same SIPp UAS, as a tester re-running a
    // load would: a Call-ID it saw in the first run fails the second.
    let dir = scratch("identifiers_clients");
    let ports = free_ports(LOOPBACK4);
    let mut uas = sipp_uas(&dir, &ports, 2 * CALLS);
    std::thread::sleep(Duration::from_millis(500));
    let target = SocketAddr::new(LOOPBACK4, ports.server);
    let runs: Vec<(String, u64)> = (0..2).map(|n| client_run(&dir, n, target)).collect();
    // SIPp ends after its calls; past the limit it is killed by PID.
    let uas_status = wait_with_limit(&mut uas, Duration::from_secs(30));
    let mut faults = Vec::new();
    for (n, (outcome, completed)) in runs.iter().enumerate() {
        if *completed != CALLS {
            faults.push(format!("client run {n} completed {completed} of {CALLS} calls: {outcome}"));
        }
    }
    if !uas_status.is_some_and(|s| s.success()) {
        faults.push(format!("SIPp UAS {uas_status:?}: {}", tail(&dir.join("sipp.out"), 1500)));
    }
    // The runs did not overlap: the trace is run 0's messages, then run 1's.
    let (mut run, mut invites) = (0, 0u64);
    let mut seen_tx = HashSet::new();
    for m in sipp_trace(&dir).into_iter().filter(|m| m.received) {
        let line = start_line(&m.text);
        let method = line.split(' ').next().unwrap_or("");
        if !matches!(method, "INVITE" | "ACK" | "BYE") {
            continue;
        }
        let call_id = header(&m.text, &["Call-ID", "i"]).expect("Call-ID").to_string();
        let via = header(&m.text, &["Via", "v"]).expect("Via");
        let branch = param(via, "branch").expect("a branch").to_string();
        if method == "INVITE" && invites == CALLS {
            run = 1;
        }
        // A retransmission repeats its transaction: count it once.
        if !seen_tx.insert((run, method.to_string(), branch.clone(), call_id.clone())) {
            continue;
        }
        let source = format!("client {run}");
        if method == "INVITE" {
            invites += 1;
            let from = header(&m.text, &["From", "f"]).expect("From");
            let contact = header(&m.text, &["Contact", "m"]).expect("Contact");
            let ports = [uri_port(from), uri_port(contact), via_port(via)];
            if ports[0].is_none() || ports[0] == Some(5060) || ports.iter().any(|p| *p != ports[0]) {
                faults.push(format!("run {run}: From, Contact and Via name ports {ports:?}"));
            }
            tags.entry(source.clone()).or_default().push(param(from, "tag").expect("a From tag").to_string());
            call_ids.entry(source.clone()).or_default().push(call_id);
        }
        branches.entry(source).or_default().push(branch);
    }
    if invites != 2 * CALLS {
        faults.push(format!("SIPp saw {invites} INVITE transactions, not {}", 2 * CALLS));
    }
    faults.dedup();
    let count = |m: &BTreeMap<String, Vec<String>>| m.values().map(Vec::len).sum::<usize>();
    let n = 4 * CALLS as usize;
    assert!(count(&tags) >= n && count(&branches) >= n && count(&call_ids) >= 2 * CALLS as usize);
    faults.extend(identifier_faults("tags", &tags, 32.0));
    faults.extend(identifier_faults("branches", &branches, 32.0));
    faults.extend(identifier_faults("Call-IDs", &call_ids, 32.0));
    assert!(faults.is_empty(), "identifiers repeat or count, or calls failed:\n{}", faults.join("\n"));
}
