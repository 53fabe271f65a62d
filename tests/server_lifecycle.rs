//! The `sipbench-server` binary's start on an address already in use: a
//! second server (or any process) on the port is refused with a message
//! naming the address, instead of silently sharing the traffic.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::sipp_run::{LOOPBACK4, SERVER_BIN, Server, scratch, wait_with_limit};

#[test]
fn a_second_server_on_a_used_port_exits_naming_the_address() {
    let dir = scratch("port-clash");
    let first = Server::start(&dir, LOOPBACK4, &["--shards", "2"]);
    let addr = first.addr.to_string();
    let mut second = Command::new(SERVER_BIN)
        .args(["--listen", &addr, "--shards", "2", "--quiet", "--run-for", "5"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the second sipbench-server");
    let status =
        wait_with_limit(&mut second, Duration::from_secs(10)).expect("the second server exits at once");
    let mut err = String::new();
    std::io::Read::read_to_string(&mut second.stderr.take().expect("stderr"), &mut err).unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains(&addr) && err.contains("already in use"), "{err}");
    // The first one is untouched: it still serves and stops cleanly.
    let s = first.stop();
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
}
