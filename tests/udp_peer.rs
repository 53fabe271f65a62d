//! One UDP peer (`ConfigBuilder::udp_peer`, the client's `--connect`):
//! the socket is connected to it, datagrams to it go without a
//! destination address (the kernel's kept route), datagrams to anyone
//! else still carry theirs, and the kernel drops what others send.

mod common;

use std::net::UdpSocket;
use std::time::Duration;

use bytes::Bytes;
use common::api::{ByUser, builder, ended, start, wait_for};
use sipbench::core::Transmit;
use sipbench::transport::{UdpSendMode, send_batch};
use sipbench::txn::{MessageKind, Peer};
use sipbench::{Config, Engine, EventKind, OutgoingCall};

fn datagram(to: std::net::SocketAddr, text: &'static str) -> Transmit {
    Transmit {
        to: Peer::udp(to),
        data: Bytes::from_static(text.as_bytes()),
        kind: MessageKind::Response(200),
        call: None,
    }
}

fn socket() -> UdpSocket {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    s
}

fn received(s: &UdpSocket) -> String {
    let mut buf = [0u8; 64];
    let n = s.recv(&mut buf).expect("a datagram");
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

#[test]
fn datagrams_to_the_connected_peer_go_without_an_address() {
    let (ours, peer, other) = (socket(), socket(), socket());
    let (peer_addr, other_addr) = (peer.local_addr().unwrap(), other.local_addr().unwrap());
    let batch = [datagram(peer_addr, "to the peer"), datagram(other_addr, "to another")];
    // Not connected yet: told it is, the kernel gets no address and
    // refuses the peer's datagram; the other still goes.
    let mut mode = UdpSendMode { connected: Some(peer_addr), segments: false };
    let failed = send_batch(&ours, &mut mode, &batch);
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!((failed[0].0, failed[0].1.raw_os_error()), (0, Some(libc::EDESTADDRREQ)));
    assert_eq!(received(&other), "to another");
    ours.connect(peer_addr).unwrap();
    assert!(send_batch(&ours, &mut mode, &batch).is_empty());
    assert_eq!(received(&peer), "to the peer");
    assert_eq!(received(&other), "to another");
}

#[test]
fn an_engine_with_one_udp_peer_calls_it_and_hears_no_one_else() {
    let bob = start(builder());
    let one = Config::builder().listen("127.0.0.1:0".parse().unwrap()).shards(1).pin(false);
    let alice = Engine::start(one.udp_peer(bob.local_addr()).build().unwrap(), ByUser).unwrap();
    let (control, events) = (alice.control(), alice.events());
    let target = format!("sip:bob@{}", bob.local_addr());
    let id = control.place_call(OutgoingCall::new(&target).from("sip:alice@127.0.0.1")).wait().unwrap();
    wait_for(&events, "Established", |e| e.call == id && e.kind == EventKind::Established);
    control.end_call(id).wait().unwrap();
    assert!(matches!(ended(&events, id), EventKind::Terminated { .. }));

    // An OPTIONS from a stranger: bob (not connected) answers it, alice's
    // kernel drops it.
    let stranger = socket();
    stranger.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let options = |to: std::net::SocketAddr| {
        let me = stranger.local_addr().unwrap();
        format!(
            "OPTIONS sip:x@{to} SIP/2.0\r\nVia: SIP/2.0/UDP {me};branch=z9hG4bK-udp-peer-{}\r\n\
             From: <sip:s@{me}>;tag=s1\r\nTo: <sip:x@{to}>\r\nCall-ID: udp-peer-{}@{me}\r\n\
             CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
            to.port(),
            to.port()
        )
    };
    let mut buf = [0u8; 2048];
    stranger.send_to(options(bob.local_addr()).as_bytes(), bob.local_addr()).unwrap();
    let n = stranger.recv(&mut buf).expect("bob answers a stranger");
    assert!(buf[..n].starts_with(b"SIP/2.0 200"), "{}", String::from_utf8_lossy(&buf[..n]));
    stranger.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    stranger.send_to(options(alice.local_addr()).as_bytes(), alice.local_addr()).unwrap();
    assert!(stranger.recv(&mut buf).is_err(), "alice heard a stranger");
    let core = alice.shutdown(Duration::from_secs(2)).total.core;
    assert_eq!((core.uac.placed, core.uac.completed), (1, 1));
}

#[test]
fn one_udp_peer_needs_one_shard() {
    let peer = "127.0.0.1:5060".parse().unwrap();
    let err = builder().udp_peer(peer).build().unwrap_err();
    assert_eq!(err.field, "udp_peer");
}
