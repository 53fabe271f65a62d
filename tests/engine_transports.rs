//! The embedding API over TCP and TLS: listeners by transport, one engine
//! calling another over each (hold, then hang up; both sides' events name
//! the transport), connections spread over the shards' listeners, and the
//! configuration checks for transports and TLS.

mod common;

use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::api::{WAIT, builder, ended, start, wait_for};
use common::certs::TestPki;
use sipbench::{Config, EndReason, Engine, EventKind, OutgoingCall, TlsConfig, Transport};

fn any_port() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// Alice calls `target` on bob, holds the call for a moment (putting bob
/// on hold and back over the same connection), hangs up; both count it.
fn call_and_hang_up(alice: Engine, bob: Engine, target: &str, transport: Transport) {
    let (control, events) = (alice.control(), alice.events());
    let call = OutgoingCall::new(target).from("sip:alice@127.0.0.1");
    let id = control.place_call(call).wait().unwrap();
    let up = wait_for(&events, "Established", |e| e.call == id && e.kind == EventKind::Established);
    assert_eq!(up.info.transport, transport, "the caller's events name the transport");
    let incoming = wait_for(&bob.events(), "Incoming", |e| e.kind == EventKind::Incoming);
    assert_eq!(incoming.info.transport, transport, "the callee's events name the transport");
    assert_eq!(incoming.info.call_id, up.info.call_id);
    control.hold_call(id).wait().unwrap();
    wait_for(&events, "Held", |e| e.call == id && e.kind == EventKind::Held);
    control.end_call(id).wait().unwrap();
    assert!(matches!(ended(&events, id), EventKind::Terminated { reason: EndReason::LocalBye, .. }));
    let a = alice.shutdown(Duration::from_secs(2)).total;
    let b = bob.shutdown(Duration::from_secs(2)).total;
    assert_eq!((a.core.uac.placed, a.core.uac.completed), (1, 1));
    assert_eq!((b.core.calls_received, b.core.calls_completed), (1, 1));
    assert_eq!(b.datagrams_in, 0, "nothing went over UDP");
    assert_eq!(b.conns.messages_in, 5, "INVITE, ACK, re-INVITE, its ACK, BYE");
}

#[test]
fn engines_call_each_other_over_tcp() {
    let bob = start(builder().listen_on(Transport::Tcp, any_port()));
    let at = bob.local_addr_of(Transport::Tcp).expect("a TCP listener");
    assert!(bob.local_addr_of(Transport::Tls).is_none());
    let alice = start(builder());
    call_and_hang_up(alice, bob, &format!("sip:bob@{at};transport=tcp"), Transport::Tcp);
}

#[test]
fn engines_call_each_other_over_tls() {
    let pki = TestPki::new();
    let server_tls = TlsConfig::new().identity(pki.server.cert.clone(), pki.server.key.clone());
    // Only TLS: no UDP socket at all.
    let bob =
        start(Config::builder().shards(2).pin(false).listen_on(Transport::Tls, any_port()).tls(server_tls));
    let at = bob.local_addr_of(Transport::Tls).expect("a TLS listener");
    assert_eq!(bob.local_addr(), at, "the first listener is the primary address");
    let alice = start(builder().tls(TlsConfig::new().trust(pki.ca.clone())));
    call_and_hang_up(alice, bob, &format!("sips:bob@{at}"), Transport::Tls);
}

/// Every shard listens on the TCP address (the first listener opens the
/// SO_REUSEPORT group before it listens, the others join it): the kernel
/// spreads new connections over both shards.
#[test]
fn connections_spread_over_the_shards_listeners() {
    let engine = start(builder().listen_on(Transport::Tcp, any_port()));
    let at = engine.local_addr_of(Transport::Tcp).expect("a TCP listener");
    let conns: Vec<TcpStream> = (0..64).map(|_| TcpStream::connect(at).unwrap()).collect();
    let until = Instant::now() + WAIT;
    let per_shard = loop {
        // Shards publish their counters a few times a second.
        let accepted: Vec<u64> =
            engine.stats().shards.iter().map(|s| s.conns.accepted[Transport::Tcp.index()]).collect();
        if accepted.iter().sum::<u64>() == 64 || Instant::now() > until {
            break accepted;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(per_shard.iter().sum::<u64>(), 64, "{per_shard:?}");
    assert!(per_shard.iter().all(|&n| n > 0), "each shard accepts some: {per_shard:?}");
    drop(conns);
    engine.shutdown(WAIT);
}

#[test]
fn transport_settings_are_checked() {
    let refused = |b: sipbench::ConfigBuilder, field: &str| {
        let e = b.build().expect_err("refused");
        assert_eq!(e.field, field, "{e}");
    };
    let pki = TestPki::new();
    refused(builder().listen_on(Transport::Tls, any_port()), "tls");
    let same: SocketAddr = "127.0.0.1:5099".parse().unwrap();
    let ok_tls = TlsConfig::new().identity(pki.server.cert.clone(), pki.server.key.clone());
    refused(
        builder().listen_on(Transport::Tcp, same).listen_on(Transport::Tls, same).tls(ok_tls.clone()),
        "listen",
    );
    refused(builder().tls(TlsConfig::new().identity("not PEM", pki.server.key.clone())), "tls");
    refused(builder().tls(TlsConfig::new().identity(pki.server.cert.clone(), "not a key")), "tls");
    refused(builder().tls(TlsConfig::new().client_ca(pki.ca.clone())), "tls");
    refused(builder().tls(TlsConfig::new().trust("garbage")), "tls");
    refused(builder().max_connections(0), "stream_limits");
    refused(builder().message_timeout(Duration::ZERO), "stream_limits");
    refused(builder().max_output(100), "stream_limits");
    assert!(builder().listen_on(Transport::Tcp, any_port()).tls(ok_tls).build().is_ok());
    // Keys never show in a printed configuration.
    let shown = format!("{:?}", TlsConfig::new().identity(pki.server.cert.clone(), pki.server.key.clone()));
    assert!(!shown.contains("PRIVATE KEY"), "{shown}");
}

#[test]
fn engines_call_each_other_over_tcp_on_ipv6() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        panic!(
            "IPv6 loopback [::1] cannot be bound here; this test needs it (sysctl net.ipv6.conf.lo.disable_ipv6=0)"
        );
    }
    let v6: SocketAddr = "[::1]:0".parse().unwrap();
    let bob = start(Config::builder().shards(2).pin(false).listen(v6).listen_on(Transport::Tcp, v6));
    let at = bob.local_addr_of(Transport::Tcp).expect("a TCP listener");
    let alice = start(Config::builder().shards(2).pin(false).listen(v6));
    call_and_hang_up(
        alice,
        bob,
        &format!("sip:bob@[{}]:{};transport=tcp", at.ip(), at.port()),
        Transport::Tcp,
    );
}
