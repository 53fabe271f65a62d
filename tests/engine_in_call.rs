//! Requests the application sends inside a call through the public API
//! (INFO, blind transfer by REFER with NOTIFY progress) and the per-call
//! error events; real UDP on loopback against a hand-written caller.

mod common;

use std::time::{Duration, Instant};

use common::api::*;
use common::udp_uac::UdpUac;
use sipbench::{
    CallErrorKind, CallHandle, CommandError, EndReason, Engine, Error, EventKind, Events, TransferStatus,
};

/// A call from `user` answered and confirmed; its id.
fn established(engine: &Engine, rx: &Events, user: &str) -> (UdpUac, CallHandle) {
    let mut uac = UdpUac::new(engine.local_addr(), user);
    uac.call_answered(WAIT);
    let id = incoming(rx, &uac);
    wait_for(rx, "Established", |e| e.call == id && e.kind == EventKind::Established);
    (uac, id)
}

fn transfer_event(rx: &Events, id: CallHandle) -> TransferStatus {
    match wait_for(rx, "Transfer", |e| e.call == id && matches!(e.kind, EventKind::Transfer(_))).kind {
        EventKind::Transfer(s) => s,
        _ => unreachable!(),
    }
}

fn error_event(rx: &Events, id: CallHandle) -> (CallErrorKind, String) {
    match wait_for(rx, "Error", |e| e.call == id && matches!(e.kind, EventKind::Error { .. })).kind {
        EventKind::Error { kind, detail } => (kind, detail),
        _ => unreachable!(),
    }
}

fn refused(r: sipbench::Result<()>) -> CommandError {
    match r {
        Err(Error::Command(e)) => e,
        other => panic!("want a command error, got {other:?}"),
    }
}

/// The far end's NOTIFY about our REFER, with a sipfrag body.
fn notify(uac: &mut UdpUac, state: &str, sipfrag: &str) {
    let extra = format!("Event: refer\r\nSubscription-State: {state}\r\n");
    uac.in_dialog_with("NOTIFY", &extra, "message/sipfrag;version=2.0", sipfrag);
}

#[test]
fn send_info_carries_the_body_and_its_answer_is_an_event() {
    let engine = start(builder());
    let (rx, control) = (engine.events(), engine.control());
    let (mut uac, id) = established(&engine, &rx, "info");
    let body = "Signal=5\r\nDuration=160\r\n";
    control.send_info(id, "application/dtmf-relay", body).wait().unwrap();
    let info = uac.expect_request("INFO", WAIT);
    assert_eq!(info.header_by_name("Content-Type"), Some("application/dtmf-relay"));
    assert_eq!(info.body(), body.as_bytes());
    // One INFO at a time (RFC 6086): the next waits for this one's answer.
    let busy = control.send_info(id, "application/dtmf-relay", body).wait();
    assert_eq!(refused(busy), CommandError::Pending);
    uac.reply(&info, 415, None);
    let failed =
        wait_for(&rx, "RequestFailed", |e| e.call == id && matches!(e.kind, EventKind::RequestFailed { .. }));
    assert_eq!(failed.kind, EventKind::RequestFailed { method: "INFO", code: 415 });

    // The call goes on: the next INFO is sent and answered.
    control.send_info(id, "text/plain", "hello").wait().unwrap();
    let info = uac.expect_request("INFO", WAIT);
    assert_eq!(info.body(), b"hello");
    uac.reply(&info, 200, None);
    let delivered =
        wait_for(&rx, "InfoDelivered", |e| e.call == id && matches!(e.kind, EventKind::InfoDelivered { .. }));
    assert_eq!(delivered.kind, EventKind::InfoDelivered { code: 200 });
    for bad in ["text", "text/plain\r\nX-Injected: 1"] {
        let e = refused(control.send_info(id, bad, "x").wait());
        assert!(matches!(e, CommandError::BadArgument(_)), "{bad:?}: {e}");
    }
    uac.in_dialog("BYE");
    uac.expect_status(200, WAIT);
    assert!(matches!(ended(&rx, id), EventKind::Terminated { reason: EndReason::RemoteBye, .. }));
    assert_eq!(refused(control.send_info(id, "text/plain", "late").wait()), CommandError::UnknownCall);
    engine.shutdown(WAIT);
}

#[test]
fn transfer_reports_notify_progress_and_ends_the_call_when_the_target_answers() {
    let engine = start(builder());
    let (rx, control) = (engine.events(), engine.control());
    let (mut uac, id) = established(&engine, &rx, "transfer");
    control.transfer_call(id, "sip:alice@127.0.0.1:5099").wait().unwrap();
    let refer = uac.expect_request("REFER", WAIT);
    assert_eq!(refer.header_by_name("Refer-To"), Some("<sip:alice@127.0.0.1:5099>"));
    assert!(refer.header_by_name("Contact").is_some(), "REFER needs a Contact (RFC 3515 §2.4.1)");
    uac.reply(&refer, 202, None);
    assert_eq!(transfer_event(&rx, id), TransferStatus::Accepted);
    notify(&mut uac, "active;expires=60", "SIP/2.0 100 Trying\r\n");
    uac.expect_status(200, WAIT);
    assert_eq!(transfer_event(&rx, id), TransferStatus::Trying(100));
    notify(&mut uac, "terminated;reason=noresource", "SIP/2.0 200 OK\r\n");
    uac.expect_status(200, WAIT);
    assert_eq!(transfer_event(&rx, id), TransferStatus::Succeeded(200));
    // RFC 5589 §6.1: the transferor ends its call once the target answered.
    let bye = uac.expect_request("BYE", WAIT);
    uac.reply(&bye, 200, None);
    assert!(matches!(ended(&rx, id), EventKind::Terminated { reason: EndReason::Transferred, .. }));
    let until = Instant::now() + WAIT;
    let counted = loop {
        let c = engine.stats().total.core;
        if c.calls_transferred == 1 || Instant::now() > until {
            break c;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!((counted.calls_transferred, counted.calls_completed, counted.calls_failed()), (1, 1, 0));
    engine.shutdown(WAIT);
}

#[test]
fn refused_and_failed_transfers_keep_the_call_until_the_dialog_is_gone() {
    let engine = start(builder());
    let (rx, control) = (engine.events(), engine.control());
    let (mut uac, id) = established(&engine, &rx, "transfer");
    for bad in ["not a uri", "sip:a@b>\r\nX-Injected: 1", "<sip:a@b>"] {
        let e = refused(control.transfer_call(id, bad).wait());
        assert!(matches!(e, CommandError::BadArgument(_)), "{bad:?}: {e}");
    }
    // The far end does not do REFER.
    control.transfer_call(id, "tel:+15551234567").wait().unwrap();
    let refer = uac.expect_request("REFER", WAIT);
    uac.reply(&refer, 405, None);
    assert_eq!(transfer_event(&rx, id), TransferStatus::Refused(405));

    // It does, but the target is busy; a NOTIFY without a status line is
    // answered 400 and reported.
    control.transfer_call(id, "sip:bob@127.0.0.1:5099").wait().unwrap();
    assert_eq!(refused(control.transfer_call(id, "sip:carol@127.0.0.1").wait()), CommandError::Pending);
    let refer = uac.expect_request("REFER", WAIT);
    uac.reply(&refer, 202, None);
    assert_eq!(transfer_event(&rx, id), TransferStatus::Accepted);
    notify(&mut uac, "active", "");
    uac.expect_status(400, WAIT);
    assert_eq!(error_event(&rx, id).0, CallErrorKind::Protocol);
    notify(&mut uac, "terminated", "SIP/2.0 486 Busy Here\r\n");
    uac.expect_status(200, WAIT);
    assert_eq!(transfer_event(&rx, id), TransferStatus::Failed(486));

    // 481 to a REFER: the dialog is gone at the far end (RFC 3261
    // §12.2.1.2), so the call ends with BYE.
    control.transfer_call(id, "sip:dave@127.0.0.1").wait().unwrap();
    let refer = uac.expect_request("REFER", WAIT);
    uac.reply(&refer, 481, None);
    assert_eq!(transfer_event(&rx, id), TransferStatus::Refused(481));
    let bye = uac.expect_request("BYE", WAIT);
    uac.reply(&bye, 200, None);
    assert!(matches!(ended(&rx, id), EventKind::Terminated { reason: EndReason::RequestTimeout, .. }));
    engine.shutdown(WAIT);
}

#[test]
fn protocol_timeout_and_transport_errors_name_their_call() {
    let t1 = Duration::from_millis(20);
    let engine = start(builder().timers(t1, t1 * 4, t1 * 5));
    let (rx, control) = (engine.events(), engine.control());

    // Protocol: a request with an old CSeq gets 500 and is reported.
    let (mut uac, id) = established(&engine, &rx, "errors");
    uac.in_dialog_cseq("INFO", 1);
    uac.expect_status(500, WAIT);
    let (kind, detail) = error_event(&rx, id);
    assert_eq!(kind, CallErrorKind::Protocol, "{detail}");

    // Timeout: our re-INVITE goes unanswered (Timer B, 64·T1), so the
    // dialog is gone and the call ends.
    control.hold_call(id).wait().unwrap();
    uac.expect_request("INVITE", WAIT);
    let (kind, detail) = error_event(&rx, id);
    assert_eq!((kind, detail.as_str()), (CallErrorKind::Timeout, "no response to INVITE"));
    uac.expect_request("BYE", WAIT);
    assert!(matches!(ended(&rx, id), EventKind::Terminated { reason: EndReason::RequestTimeout, .. }));

    // Transport: the caller's Contact is IPv6 while the engine listens on
    // IPv4, so our BYE cannot be sent at all.
    let mut uac = UdpUac::new(engine.local_addr(), "errors");
    uac.invite_with_contact("sip:caller@[::1]:5999");
    uac.expect_status(200, WAIT);
    uac.in_dialog("ACK");
    let id = incoming(&rx, &uac);
    wait_for(&rx, "Established", |e| e.call == id && e.kind == EventKind::Established);
    control.end_call(id).wait().unwrap();
    let (kind, detail) = error_event(&rx, id);
    assert_eq!(kind, CallErrorKind::Transport, "{detail}");
    assert!(matches!(ended(&rx, id), EventKind::Terminated { reason: EndReason::ByeFailed, .. }));
    engine.shutdown(WAIT);
}
