//! The application's side of the core, sans-IO on a fake clock: when an
//! `Accept`'s 180 and 200 go out, what `IncomingCall` parses for the
//! handler, the context and time each event carries, INFO answers as
//! events, and hold with music on hold or silence.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use common::{Harness, UacCall, labels, ms, only, respond};
use sipbench::core::{
    Accept, CallDirection, CallHandler, Command, CoreConfig, Decision, EventKind, FinalStatus, IncomingCall,
    IncomingRequest, MediaCommand, OnHold,
};

/// Decides every call the same way.
struct Always(Decision);

impl CallHandler for Always {
    fn on_incoming(&mut self, _call: &IncomingCall<'_>) -> Decision {
        self.0.clone()
    }
}

fn harness(decision: impl Into<Decision>) -> Harness {
    let mut h = Harness::new(CoreConfig::default());
    h.core.set_handler(Box::new(Always(decision.into())));
    h
}

/// The 180 and the 200 of one call decided with `decision`: what went
/// out at once, and when the 200 followed.
fn timeline(decision: impl Into<Decision>) -> (Vec<String>, Duration) {
    let mut h = harness(decision);
    let mut uac = UacCall::new(1);
    let first = labels(&h.send(uac.invite()));
    if first.contains(&"200 INVITE".to_string()) {
        return (first, ms(0));
    }
    let (at, out) = h.next_send(Duration::from_secs(5)).expect("the 200");
    uac.learn_tag(only(&out, "200 INVITE"));
    h.send(uac.ack_2xx(1));
    h.send(uac.in_dialog("BYE", None));
    h.drain();
    (first, at)
}

#[test]
fn ringing_goes_out_at_once_and_the_answer_after_ring_plus_answer_after() {
    let ring_then_wait = Accept::now().ring_for(ms(300)).answer_after(ms(200));
    assert_eq!(timeline(ring_then_wait), (vec!["180 INVITE".into()], ms(500)));
    assert_eq!(timeline(Accept::now().ring_for(ms(300))), (vec!["180 INVITE".into()], ms(300)));
    // Without ringing: 100 Trying at once, the 200 after answer_after.
    assert_eq!(timeline(Accept::now().answer_after(ms(200))), (vec!["100 INVITE".into()], ms(200)));
    assert_eq!(timeline(Decision::ring_then_accept(ms(250))), (vec!["180 INVITE".into()], ms(250)));
    let (now, at) = timeline(Accept::now());
    assert_eq!((now, at), (vec!["200 INVITE".into()], ms(0)));
}

/// What a handler saw of the INVITE, as owned strings.
#[derive(Debug, Default, Clone, PartialEq)]
struct Seen {
    request_user: Option<String>,
    from_user: Option<String>,
    from_name: Option<String>,
    to_user: Option<String>,
    to_name: Option<String>,
    source: Option<std::net::SocketAddr>,
    codecs: Vec<(u8, String)>,
}

struct Recorder(Arc<Mutex<Seen>>);

impl CallHandler for Recorder {
    fn on_incoming(&mut self, call: &IncomingCall<'_>) -> Decision {
        let own = |c: Option<std::borrow::Cow<'_, str>>| c.map(|c| c.into_owned());
        *self.0.lock().unwrap() = Seen {
            request_user: own(call.request_user()),
            from_user: own(call.from_user()),
            from_name: own(call.from_display_name()),
            to_user: own(call.to_user()),
            to_name: own(call.to_display_name()),
            source: Some(call.source()),
            codecs: call.offered_codecs().into_iter().map(|c| (c.payload_type, c.name)).collect(),
        };
        Decision::busy()
    }

    fn on_options(&mut self, _request: &IncomingRequest<'_>) -> FinalStatus {
        FinalStatus::new(488).unwrap()
    }
}

#[test]
fn the_handler_gets_users_display_names_source_and_offered_codecs_parsed() {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let mut h = Harness::new(CoreConfig::default());
    h.core.set_handler(Box::new(Recorder(seen.clone())));
    let uac = UacCall::new(1);
    let offer = common::sdp(&[(8, "PCMA/8000"), (96, "opus/48000/2"), (0, "PCMU/8000")], None);
    let invite = String::from_utf8(uac.invite_with("", Some(("application/sdp", &offer))).to_vec()).unwrap();
    let invite = invite
        .replace("INVITE sip:service@", "INVITE sip:%2B1555%20help@")
        .replace("From: sipp <sip:sipp@", "From: \"Eve \\\"the\\\" \\\\ Ops\" <sip:eve.ops@")
        .replace("To: service <sip:service@", "To: Help Desk <sip:desk@");
    let out = h.send(Bytes::from(invite));
    assert_eq!(labels(&out), ["486 INVITE"], "the handler's busy() went out");
    let want = Seen {
        request_user: Some("+1555 help".into()),
        from_user: Some("eve.ops".into()),
        from_name: Some(r#"Eve "the" \ Ops"#.into()),
        to_user: Some("desk".into()),
        to_name: Some("Help Desk".into()),
        source: Some(common::uac_addr()),
        codecs: vec![(8, "PCMA".into()), (96, "opus".into()), (0, "PCMU".into())],
    };
    assert_eq!(*seen.lock().unwrap(), want);
    // The handler's status for OPTIONS goes out as it is.
    let options = UacCall::new(2).request("OPTIONS", "z9hG4bK-o", 1, "", None);
    assert_eq!(labels(&h.send(options)), ["488 OPTIONS"]);
}

#[test]
fn every_event_carries_its_time_and_the_calls_context() {
    let mut h = harness(Accept::now().ring_for(ms(100)));
    let mut uac = UacCall::new(7);
    h.now += ms(1234);
    h.core.on_datagram(h.now, common::uac_addr(), uac.invite(), &mut h.out);
    let first: Vec<_> = h.out.events.clone();
    h.collect();
    let kinds: Vec<_> = first.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(kinds, [EventKind::Incoming, EventKind::Ringing]);
    for e in &first {
        assert_eq!(e.at, h.now, "stamped with the step's time");
        assert_eq!(e.info.direction, CallDirection::Incoming);
        assert_eq!(e.info.call_id, uac.call_id);
        assert_eq!(e.info.remote_uri, "sip:sipp@127.0.0.1:5061");
        assert_eq!(e.info.local_uri, "sip:service@127.0.0.1:5060");
        assert_eq!(e.info.remote_addr, common::uac_addr());
    }
    let (at, out) = h.next_send(Duration::from_secs(1)).expect("the 200");
    uac.learn_tag(only(&out, "200 INVITE"));
    h.send(uac.ack_2xx(1));
    h.now += ms(50);
    h.core.on_datagram(h.now, common::uac_addr(), uac.in_dialog("BYE", None), &mut h.out);
    let end = h.out.events.last().cloned().expect("Terminated");
    assert!(matches!(end.kind, EventKind::Terminated { .. }));
    assert_eq!(end.at, h.now);
    assert!(Arc::ptr_eq(&end.info, &first[0].info), "one context per call, shared");
    assert_eq!(at, ms(1234 + 100));
    h.collect();
    h.drain();
}

/// An established call on `h`; its handle and the UAC.
fn established(h: &mut Harness) -> (sipbench::core::CallHandle, UacCall) {
    let mut uac = UacCall::new(3);
    uac.learn_tag(only(&h.send(uac.invite()), "200 INVITE"));
    h.send(uac.ack_2xx(1));
    let call = *h.handles.last().expect("an event");
    h.take_events();
    h.media.clear();
    (call, uac)
}

#[test]
fn info_answers_are_events_success_and_failure() {
    let mut h = harness(Decision::accept());
    let (call, _uac) = established(&mut h);
    for (code, want) in [
        (200, EventKind::InfoDelivered { code: 200 }),
        (202, EventKind::InfoDelivered { code: 202 }),
        (415, EventKind::RequestFailed { method: "INFO", code: 415 }),
    ] {
        let cmd =
            Command::Info { call, content_type: "application/dtmf-relay".into(), body: "Signal=1".into() };
        let out = h.command(cmd).unwrap();
        h.send(respond(only(&out, "INFO"), code, "X"));
        assert_eq!(h.take_events(), [want]);
    }
    h.advance(Duration::from_secs(40));
}

/// Holds the call as `on_hold` asks, the peer accepting with an answer
/// of direction `answer`; the media commands that follow. Then resumes it.
fn hold_and_resume(on_hold: OnHold, answer: &str) -> (Vec<MediaCommand>, Vec<MediaCommand>) {
    let mut h = harness(Decision::accept());
    let (call, _uac) = established(&mut h);
    let mut round = |cmd: Command, want: EventKind| {
        let out = h.command(cmd).unwrap();
        let reinvite = only(&out, "INVITE").clone();
        let answer = common::sdp(&[(0, "PCMU/8000")], Some(answer));
        h.send(common::reply(&reinvite, 200, None, "", Some(&answer)));
        assert_eq!(h.take_events(), [want]);
        std::mem::take(&mut h.media)
    };
    let held = round(Command::Hold(call, on_hold), EventKind::Held);
    let resumed = round(Command::Resume(call), EventKind::Resumed);
    (held, resumed)
}

#[test]
fn hold_plays_music_on_hold_by_default_and_resume_stops_it() {
    let (held, resumed) = hold_and_resume(OnHold::Music, "recvonly");
    assert!(matches!(held[..], [MediaCommand::Music { on: true, .. }]), "{held:?}");
    assert!(matches!(resumed[..], [MediaCommand::Music { on: false, .. }]), "{resumed:?}");
    for (on_hold, answer) in [(OnHold::Silence, "recvonly"), (OnHold::Music, "inactive")] {
        // Silence asked for, or the peer will not listen (RFC 3264 §6.1).
        let (held, resumed) = hold_and_resume(on_hold, answer);
        assert!(matches!(held[..], [MediaCommand::Direction { send: false, .. }]), "{answer}: {held:?}");
        assert!(matches!(resumed[..], [MediaCommand::Direction { send: true, .. }]), "{answer}: {resumed:?}");
    }
}
