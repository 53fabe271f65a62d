//! Placing calls through the public API: one engine calls another over
//! loopback UDP (two shards each), the caller sees Ringing, Answered,
//! Established and Terminated; hanging up before the answer cancels; media
//! flows both ways once answered.

mod common;

use std::time::Duration;

use common::api::{ByUser, builder, ended, media, start, wait_for};
use sipbench::{
    CallPolicy, CommandError, EndReason, Engine, Error, EventKind, MediaMode, OutgoingCall, PolicyHandler,
};

fn callee(ring_ms: u64) -> Engine {
    let policy = CallPolicy { ring: Duration::from_millis(ring_ms), ..CallPolicy::default() };
    Engine::start(builder().policy(policy).build().unwrap(), PolicyHandler::new(policy)).unwrap()
}

#[test]
fn placed_call_rings_is_answered_and_hung_up() {
    let bob = callee(50);
    let alice = start(builder());
    let (control, events) = (alice.control(), alice.events());
    let target = format!("sip:bob@{}", bob.local_addr());
    let id = control.place_call(OutgoingCall::new(&target).from("sip:alice@127.0.0.1")).wait().unwrap();
    for (what, want) in [("Ringing", EventKind::Ringing), ("Established", EventKind::Established)] {
        wait_for(&events, what, |e| e.call == id && e.kind == want);
    }
    control.end_call(id).wait().unwrap();
    assert!(matches!(ended(&events, id), EventKind::Terminated { reason: EndReason::LocalBye, .. }));
    let uac = alice.shutdown(Duration::from_secs(2)).total.core.uac;
    assert_eq!((uac.placed, uac.answered, uac.completed), (1, 1, 1));
    let bob = bob.shutdown(Duration::from_secs(2)).total.core;
    assert_eq!((bob.calls_received, bob.calls_completed), (1, 1));
}

#[test]
fn hanging_up_before_the_answer_cancels() {
    let bob = callee(10_000);
    let alice = start(builder());
    let (control, events) = (alice.control(), alice.events());
    let target = format!("sip:bob@{}", bob.local_addr());
    let id = control.place_call(OutgoingCall::new(&target).from("sip:alice@127.0.0.1")).wait().unwrap();
    wait_for(&events, "Ringing", |e| e.call == id && e.kind == EventKind::Ringing);
    control.end_call(id).wait().unwrap();
    assert!(matches!(ended(&events, id), EventKind::Terminated { reason: EndReason::Cancelled, .. }));
    assert_eq!(bob.shutdown(Duration::from_secs(2)).total.core.calls_cancelled, 1);
    // A rejected call ends with the callee's status.
    let carol = start(builder());
    let target = format!("sip:reject@{}", carol.local_addr());
    let id = control.place_call(OutgoingCall::new(&target).from("sip:alice@127.0.0.1")).wait().unwrap();
    assert!(matches!(ended(&events, id), EventKind::Terminated { reason: EndReason::Rejected(486), .. }));
}

#[test]
fn place_call_refuses_what_it_cannot_send() {
    let alice = start(builder());
    let control = alice.control();
    for target in ["sip:bob@example.com", "tel:+15551234", "sip:bob@127.0.0.1\r\nX: y"] {
        let r = control
            .place_call(OutgoingCall::new(target).from("sip:alice@127.0.0.1").to("sip:bob@127.0.0.1"))
            .wait();
        assert!(matches!(r, Err(Error::Command(CommandError::BadArgument(_)))), "{target}: {r:?}");
    }
}

#[test]
fn placed_call_media_reaches_the_echoing_callee_and_back() {
    let b = builder().media(media(34_000, MediaMode::Echo));
    let bob = Engine::start(b.build().unwrap(), ByUser).unwrap();
    let alice = start(builder().media(media(34_200, MediaMode::Play)));
    let (control, events) = (alice.control(), alice.events());
    let target = format!("sip:bob@{}", bob.local_addr());
    let id = control
        .place_call(OutgoingCall::new(&target).from("sip:alice@127.0.0.1").media(MediaMode::Play))
        .wait()
        .unwrap();
    wait_for(&events, "MediaStarted", |e| e.call == id && matches!(e.kind, EventKind::MediaStarted { .. }));
    std::thread::sleep(Duration::from_millis(600));
    control.end_call(id).wait().unwrap();
    match ended(&events, id) {
        EventKind::Terminated { media: Some(report), .. } => {
            assert!(report.packets_in > 10, "our tone came back from the echo: {report:?}")
        }
        other => panic!("no media report: {other:?}"),
    }
}

/// Reports what it saw of each call: Request-URI user, caller, caller's
/// display name, an extra header.
#[derive(Clone)]
struct Recorder(std::sync::mpsc::SyncSender<[Option<String>; 4]>);

impl sipbench::CallHandler for Recorder {
    fn on_incoming(&mut self, call: &sipbench::IncomingCall<'_>) -> sipbench::Decision {
        let own = |c: Option<std::borrow::Cow<'_, str>>| c.map(|c| c.into_owned());
        let header = call.request.header("X-Account").map(str::to_owned);
        let _ = self.0.try_send([
            own(call.request_user()),
            own(call.from_user()),
            own(call.from_display_name()),
            header,
        ]);
        sipbench::Decision::accept()
    }
}

#[test]
fn a_built_call_arrives_as_built_through_an_outbound_proxy() {
    let (tx, seen) = std::sync::mpsc::sync_channel(4);
    let bob = Engine::start(builder().build().unwrap(), Recorder(tx)).unwrap();
    let alice = start(builder());
    let (control, events) = (alice.control(), alice.events());
    let call = OutgoingCall::new("sip:bob@example.com")
        .from("sip:alice@127.0.0.1")
        .caller_name(r#"Alice "A" \ Smith"#)
        .header("X-Account", "42")
        .outbound_proxy(bob.local_addr());
    let id = control.place_call(call).wait().unwrap();
    wait_for(&events, "Established", |e| e.call == id && e.kind == EventKind::Established);
    let got = seen.recv_timeout(Duration::from_secs(5)).unwrap();
    let want = ["bob", "alice", r#"Alice "A" \ Smith"#, "42"].map(|s| Some(s.to_owned()));
    assert_eq!(got, want);
    control.end_call(id).wait().unwrap();
    assert!(matches!(ended(&events, id), EventKind::Terminated { reason: EndReason::LocalBye, .. }));
}
