//! An engine's life through the public API on real loopback sockets: a
//! graceful shutdown that loses no answer and counts no completed BYE as
//! ended by shutdown (50 times over, while calls hang up; and over a TCP
//! connection that carries both shards' calls), media reports for calls
//! ended by shutdown, commands after the stop failing at once, a dropped
//! engine freeing its ports, a second engine on a used UDP, TCP or TLS
//! port refused, and each event's call context.

mod common;

use std::net::UdpSocket;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::api::*;
use common::certs::TestPki;
use common::udp_uac::UdpUac;
use sipbench::transport::stream::CloseCause;
use sipbench::{
    Accept, CallDirection, CallHandler, CommandError, Config, Decision, EndReason, Engine, Error,
    ErrorCategory, Event, EventKind, IncomingCall, MediaMode, OutgoingCall, TlsConfig, Transport,
};

/// Answers every call; every other one it hangs up itself right away,
/// so its BYE races the caller's shutdown.
#[derive(Clone, Default)]
struct AnswerSomeHangUp(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl CallHandler for AnswerSomeHangUp {
    fn on_incoming(&mut self, _call: &IncomingCall<'_>) -> Decision {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let accept = Accept::now();
        if n.is_multiple_of(2) {
            accept.hang_up_after(Duration::from_millis(n % 5)).into()
        } else {
            accept.into()
        }
    }
}

/// Every event until the stream ends (the engine has stopped).
fn all_events(events: &sipbench::Events) -> Vec<Event> {
    events.iter().collect()
}

#[test]
fn shutdown_with_two_shards_loses_no_bye_answer_fifty_times_over() {
    let fast = |b: sipbench::ConfigBuilder| {
        let ms = Duration::from_millis;
        b.timers(ms(50), ms(400), ms(500))
    };
    let callee = Engine::start(fast(builder()).build().unwrap(), AnswerSomeHangUp::default()).unwrap();
    let target = format!("sip:bob@{}", callee.local_addr());
    for round in 0..50 {
        let caller = start(fast(builder()));
        let events = caller.events();
        // Calls on both shards; the kernel gives all the callee's answers
        // to one shard's socket (by address), which must keep handing them
        // over after its own calls have ended. Half the callee's calls hang
        // up by themselves as the caller shuts down.
        let control = caller.control();
        let place = || control.place_call(OutgoingCall::new(&target).from("sip:alice@127.0.0.1"));
        let calls: Vec<_> = (0..4).map(|_| place().wait().unwrap()).collect();
        let mut seen = Vec::new();
        while seen.iter().filter(|e: &&Event| e.kind == EventKind::Established).count() < calls.len() {
            seen.push(events.recv_timeout(WAIT).expect("every call is established"));
        }
        let end = caller.shutdown(Duration::from_secs(3));
        seen.extend(all_events(&events));
        let ended: Vec<(sipbench::CallHandle, EndReason)> = seen
            .into_iter()
            .filter_map(|e| match e.kind {
                EventKind::Terminated { reason, .. } => Some((e.call, reason)),
                _ => None,
            })
            .collect();
        assert_eq!(ended.len(), calls.len(), "round {round}: every call ended: {ended:?}");
        for (id, reason) in &ended {
            assert!(
                matches!(reason, EndReason::LocalBye | EndReason::RemoteBye),
                "round {round}: call {id} ended {reason:?}: its BYE completed, so not by shutdown"
            );
        }
        let uac = end.total.core.uac;
        assert_eq!((uac.completed, uac.failed()), (4, 0), "round {round}");
        assert_eq!(end.active_calls, 0, "round {round}");
    }
    callee.shutdown(Duration::from_secs(2));
}

/// Over TCP one connection carries the calls of both of the callee's
/// shards: the shard that accepted it reads and writes it for the other.
/// Shutting the callee down while the caller hangs up some calls itself,
/// every BYE and every answer to one still crosses that connection (its
/// shard keeps it until both shards are done): no call ends by shutdown,
/// and the connection closes as the callee stops.
#[test]
fn shutdown_over_a_connection_both_shards_share_loses_no_bye_answer() {
    let ms = Duration::from_millis;
    let fast = |b: sipbench::ConfigBuilder| b.timers(ms(50), ms(400), ms(500));
    let any: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
    // One caller shard: one connection to each callee.
    let caller = start(fast(Config::builder().listen(any).shards(1).pin(false)));
    let events = caller.events();
    let mut both_shards = 0;
    for round in 0..20u64 {
        let callee = start(fast(builder().listen_on(Transport::Tcp, any)));
        let at = callee.local_addr_of(Transport::Tcp).expect("a TCP listener");
        let target = format!("sip:bob@{at};transport=tcp");
        let (control, callee_events) = (caller.control(), callee.events());
        let calls: Vec<_> = (0..6u64)
            .map(|n| {
                let call = OutgoingCall::new(&target).from("sip:alice@127.0.0.1");
                let call = if n % 2 == 0 { call.hang_up_after(ms((n + round) % 7)) } else { call };
                control.place_call(call).wait().unwrap()
            })
            .collect();
        let mut seen = Vec::new();
        while seen.iter().filter(|e: &&Event| e.kind == EventKind::Established).count() < calls.len() {
            seen.push(callee_events.recv_timeout(WAIT).expect("every call is established at the callee"));
        }
        let end = callee.shutdown(Duration::from_secs(3));
        seen.extend(all_events(&callee_events));
        let callee_ends: Vec<EndReason> = seen
            .into_iter()
            .filter_map(|e| match e.kind {
                EventKind::Terminated { reason, .. } => Some(reason),
                _ => None,
            })
            .collect();
        assert_eq!(callee_ends.len(), calls.len(), "round {round}: {callee_ends:?}");
        assert!(
            callee_ends.iter().all(|r| matches!(r, EndReason::LocalBye | EndReason::RemoteBye)),
            "round {round}: every BYE was answered, none ended by shutdown: {callee_ends:?}"
        );
        assert_eq!(end.active_calls, 0, "round {round}");
        let c = end.total.conns;
        assert_eq!(c.accepted[Transport::Tcp.index()], 1, "round {round}: one connection carried all");
        assert_eq!(c.closed_by(CloseCause::Shutdown), 1, "round {round}: closed as the callee stopped");
        both_shards += usize::from(end.shards.iter().all(|s| s.core.calls_received > 0));
        let mut caller_ends = Vec::new();
        let until = Instant::now() + WAIT;
        while caller_ends.len() < calls.len() {
            let e = events.recv_deadline(until).expect("every call ends at the caller");
            if let EventKind::Terminated { reason, .. } = e.kind
                && calls.contains(&e.call)
            {
                caller_ends.push(reason);
            }
        }
        assert!(
            caller_ends.iter().all(|r| matches!(r, EndReason::LocalBye | EndReason::RemoteBye)),
            "round {round}: {caller_ends:?}"
        );
    }
    assert!(both_shards >= 10, "both callee shards held calls in only {both_shards} of 20 rounds");
    let uac = caller.shutdown(WAIT).total.core.uac;
    assert_eq!((uac.completed, uac.failed()), (120, 0));
}

#[test]
fn calls_ended_by_shutdown_report_their_media() {
    let engine = start(builder().media(media(35_400, MediaMode::Echo)));
    let events = engine.events();
    // One caller answers our BYE, the other never does: abandoned at the
    // deadline, as ended by shutdown.
    let (mut polite, mut deaf) =
        (UdpUac::new(engine.local_addr(), "polite"), UdpUac::new(engine.local_addr(), "deaf"));
    let (ok_p, ok_d) = (polite.call_answered(WAIT), deaf.call_answered(WAIT));
    let (id_p, id_d) = (incoming(&events, &polite), incoming(&events, &deaf));
    for (uac, ok) in [(&polite, &ok_p), (&deaf, &ok_d)] {
        for seq in 0..5u8 {
            let mut rtp = vec![0x80, 0, 0, seq, 0, 0, 0, 0, 0, 0, 0, 9];
            rtp.extend_from_slice(&[0xff; 160]);
            uac.rtp.send_to(&rtp, UdpUac::media_addr(ok)).unwrap();
        }
    }
    std::thread::sleep(Duration::from_millis(100));
    let answering = std::thread::spawn(move || {
        let bye = polite.expect_request("BYE", WAIT);
        polite.reply(&bye, 200, None);
    });
    engine.shutdown(Duration::from_millis(1500));
    answering.join().unwrap();
    let all = all_events(&events);
    for (id, want) in [(id_p, EndReason::LocalBye), (id_d, EndReason::Shutdown)] {
        let stopped = all.iter().position(|e| e.call == id && matches!(e.kind, EventKind::MediaStopped(_)));
        let ended = all.iter().position(|e| e.call == id && matches!(e.kind, EventKind::Terminated { .. }));
        let (Some(stopped), Some(ended)) = (stopped, ended) else {
            panic!("{id}: no MediaStopped / Terminated: {all:?}")
        };
        assert!(stopped < ended, "MediaStopped comes first");
        match &all[ended].kind {
            EventKind::Terminated { reason, media: Some(m), .. } => {
                assert_eq!(*reason, want);
                assert!(m.packets_in >= 5, "{id}: {m:?}");
            }
            other => panic!("{id}: no media report: {other:?}"),
        }
    }
}

#[test]
fn commands_after_shutdown_fail_at_once_with_stopped() {
    let engine = start(builder());
    let (control, events) = (engine.control(), engine.events());
    // Commands from another thread while the engine stops: each one is
    // answered, none waits forever.
    let busy = control.clone();
    let racing = std::thread::spawn(move || {
        let stale = sipbench::CallHandle::new(1, 7, 7);
        loop {
            match busy.end_call(stale).wait() {
                Err(Error::Command(CommandError::Stopped)) => return,
                Err(Error::Command(CommandError::UnknownCall)) => {}
                other => panic!("{other:?}"),
            }
        }
    });
    std::thread::sleep(Duration::from_millis(50));
    engine.shutdown(WAIT);
    let (tx, rx) = mpsc::channel();
    let c = control.clone();
    std::thread::spawn(move || {
        let placed = c.place_call(OutgoingCall::new("sip:bob@127.0.0.1:5999")).wait();
        let _ = tx.send(placed);
    });
    let placed = rx.recv_timeout(Duration::from_secs(2)).expect("place_call(..).wait() returns at once");
    let e = placed.unwrap_err();
    assert!(matches!(e, Error::Command(CommandError::Stopped)), "{e}");
    assert_eq!(e.category(), ErrorCategory::Stopped);
    let started = Instant::now();
    let e = control.accept_call(sipbench::CallHandle::new(0, 1, 1)).wait_timeout(WAIT).unwrap_err();
    assert!(matches!(e, Error::Command(CommandError::Stopped)), "not a timeout: {e}");
    assert!(started.elapsed() < WAIT, "at once");
    racing.join().unwrap();
    assert!(events.recv().is_none(), "the event stream ended");
}

#[test]
fn a_dropped_engine_ends_its_calls_and_frees_its_port() {
    let engine = start(builder());
    let addr = engine.local_addr();
    let mut uac = UdpUac::new(addr, "dropped");
    uac.call_answered(WAIT);
    incoming(&engine.events(), &uac);
    drop(engine);
    uac.expect_request("BYE", WAIT);
    // Bound again at once: every socket of the dropped engine is closed.
    let again =
        Engine::start(builder().listen(addr).build().unwrap(), ByUser).expect("the port is free again");
    let mut uac = UdpUac::new(addr, "again");
    uac.call_answered(WAIT);
    drop(again);
}

#[test]
fn a_second_engine_on_a_used_port_fails_naming_the_address() {
    let first = start(builder());
    let addr = first.local_addr();
    let second = Engine::start(builder().listen(addr).build().unwrap(), ByUser).unwrap_err();
    let Error::Transport(io) = &second else { panic!("{second:?}") };
    assert_eq!(io.kind(), std::io::ErrorKind::AddrInUse);
    assert!(second.to_string().contains(&addr.to_string()), "{second}");
    assert_eq!(second.category(), ErrorCategory::Transport);
    // Any other socket on the port, too.
    let other = UdpSocket::bind("127.0.0.1:0").unwrap();
    let taken = other.local_addr().unwrap();
    assert!(Engine::start(Config::builder().listen(taken).shards(2).build().unwrap(), ByUser).is_err());
    // The first engine still gets all its traffic.
    let mut uac = UdpUac::new(addr, "still-here");
    uac.call_answered(WAIT);
    first.shutdown(WAIT);
}

/// The same over TCP and TLS: the first listener of each group binds
/// without SO_REUSEPORT, so a second engine (or any listener) on the
/// port is refused naming the transport and address, and the first keeps
/// every connection; dropped, its listeners are free at once.
#[test]
fn a_second_engine_on_a_used_tcp_or_tls_port_fails_naming_it() {
    let pki = TestPki::new();
    let tls = || TlsConfig::new().identity(pki.server.cert.clone(), pki.server.key.clone());
    let any: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
    let listening = || builder().listen_on(Transport::Tcp, any).listen_on(Transport::Tls, any).tls(tls());
    let first = start(listening());
    let tcp = first.local_addr_of(Transport::Tcp).expect("a TCP listener");
    let tls_at = first.local_addr_of(Transport::Tls).expect("a TLS listener");
    for (t, at, name) in [(Transport::Tcp, tcp, "TCP"), (Transport::Tls, tls_at, "TLS")] {
        let second =
            Engine::start(builder().listen_on(t, at).tls(tls()).build().unwrap(), ByUser).unwrap_err();
        let Error::Transport(io) = &second else { panic!("{second:?}") };
        assert_eq!(io.kind(), std::io::ErrorKind::AddrInUse, "{second}");
        assert!(second.to_string().contains(&format!("{name} {at}")), "{second}");
        assert_eq!(second.category(), ErrorCategory::Transport);
    }
    // Any other listener on the port, too.
    let other = std::net::TcpListener::bind(any).unwrap();
    let taken = other.local_addr().unwrap();
    let refused = Engine::start(builder().listen_on(Transport::Tcp, taken).build().unwrap(), ByUser);
    assert!(refused.is_err_and(|e| e.to_string().contains(&taken.to_string())));
    // The first engine still takes the calls, then lets its ports go.
    let caller = start(builder());
    let call = OutgoingCall::new(&format!("sip:bob@{tcp};transport=tcp")).from("sip:alice@127.0.0.1");
    let id = caller.control().place_call(call).wait().unwrap();
    wait_for(&caller.events(), "Established", |e| e.call == id && e.kind == EventKind::Established);
    drop(first);
    assert!(matches!(
        ended(&caller.events(), id),
        EventKind::Terminated { reason: EndReason::RemoteBye, .. }
    ));
    let again = listening().listen_on(Transport::Tcp, tcp).listen_on(Transport::Tls, tls_at);
    let again = Engine::start(again.build().unwrap(), ByUser).expect("the TCP and TLS ports are free again");
    assert_eq!(again.local_addr_of(Transport::Tcp), Some(tcp));
    caller.shutdown(WAIT);
    again.shutdown(WAIT);
}

#[test]
fn events_carry_the_time_and_the_calls_context() {
    let callee = start(builder());
    let caller = start(builder());
    let before = Instant::now();
    let target = format!("sip:bob@{}", callee.local_addr());
    let call = OutgoingCall::new(&target).from("sip:alice@127.0.0.1");
    let id = caller.control().place_call(call).wait().unwrap();
    let out = wait_for(&caller.events(), "Established", |e| e.call == id && e.kind == EventKind::Established);
    assert!(out.at >= before && out.at <= Instant::now());
    assert!(out.system_time() <= std::time::SystemTime::now());
    assert_eq!(out.info.direction, CallDirection::Outgoing);
    assert_eq!(
        (out.info.local_uri.as_str(), out.info.remote_uri.as_str()),
        ("sip:alice@127.0.0.1", target.as_str())
    );
    assert_eq!(out.info.remote_addr, callee.local_addr());
    assert_eq!(out.info.transport, Transport::Udp);
    let inc = wait_for(&callee.events(), "Incoming", |e| e.kind == EventKind::Incoming);
    assert_eq!(inc.info.direction, CallDirection::Incoming);
    assert_eq!(inc.info.call_id, out.info.call_id, "the same SIP Call-ID on both sides");
    assert_eq!(
        (inc.info.local_uri.as_str(), inc.info.remote_uri.as_str()),
        (target.as_str(), "sip:alice@127.0.0.1")
    );
    assert_eq!(inc.info.remote_addr, caller.local_addr());
    caller.shutdown(WAIT);
    callee.shutdown(WAIT);
}
