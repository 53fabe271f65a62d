//! The `sipbench-server` binary's start on an address already in use: a
//! second server (or any process) on the UDP or TCP port is refused with
//! a message naming the address, instead of silently sharing the traffic.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::sipp_run::{LOOPBACK4, SERVER_BIN, Server, free_ports, scratch, wait_with_limit};

#[test]
fn a_second_server_on_a_used_port_exits_naming_the_address() {
    let dir = scratch("port-clash");
    let first = Server::start(&dir, LOOPBACK4, &["--shards", "2"]);
    let addr = first.addr.to_string();
    refused_naming(&["--listen", &addr], &addr);
    // The first one is untouched: it still serves and stops cleanly.
    let s = first.stop();
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
}

#[test]
fn a_second_server_on_a_used_tcp_port_exits_naming_the_address() {
    let dir = scratch("tcp-port-clash");
    let tcp = format!("127.0.0.1:{}", free_ports(LOOPBACK4).server);
    let first = Server::start(&dir, LOOPBACK4, &["--shards", "2", "--listen", &format!("tcp:{tcp}")]);
    // Its own free UDP port, the first server's TCP port.
    let udp = format!("udp:127.0.0.1:{}", free_ports(LOOPBACK4).server);
    refused_naming(&["--listen", &udp, "--listen", &format!("tcp:{tcp}")], &format!("TCP {tcp}"));
    let s = first.stop();
    assert_eq!(s.total("/calls/failed"), 0, "{}", s.stdout);
}

/// Starts a second two-shard server with `listen`; it must exit 1 at once
/// with `what` and "already in use" on stderr.
fn refused_naming(listen: &[&str], what: &str) {
    let mut second = Command::new(SERVER_BIN)
        .args(listen)
        .args(["--shards", "2", "--quiet", "--run-for", "5"])
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
    assert!(err.contains(what) && err.contains("already in use"), "{err}");
}
