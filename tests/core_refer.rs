//! Transfer (RFC 3515, RFC 5589), sans-IO on a fake clock. Being
//! transferred: a REFER in a call is checked, the handler decides (202
//! and NOTIFY 100 Trying, or 403/603), the call the application places
//! on it carries Referred-By and its outcome goes back as a final NOTIFY
//! (message/sipfrag); an implicit subscription that expires is ended.
//! Transferring: no NOTIFY in time ends our transfer as Expired.

mod common;

use std::sync::{Arc, Mutex};

use common::{Harness, UacCall, hdr, labels, ms, only, pcmu_offer, reply, respond};
use sipbench::core::{
    CallHandle, CallHandler, Command, CoreConfig, Decision, EventKind, IncomingCall, IncomingRefer,
    OutgoingCall, ReferDecision, TransferStatus,
};
use sipbench::sip::Message;

/// The REFERs a handler saw: target and Referred-By.
type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// Answers every call; decides REFERs as told and records what it saw.
struct Referee {
    decision: ReferDecision,
    seen: Seen,
}

impl CallHandler for Referee {
    fn on_incoming(&mut self, _call: &IncomingCall<'_>) -> Decision {
        Decision::accept()
    }

    fn on_refer(&mut self, _call: CallHandle, refer: &IncomingRefer<'_>) -> ReferDecision {
        let seen = (refer.target().to_owned(), refer.referred_by().map(str::to_owned));
        self.seen.lock().unwrap().push(seen);
        self.decision
    }
}

fn harness(decision: ReferDecision) -> (Harness, Seen) {
    let mut h = Harness::new(CoreConfig::default());
    let seen = Arc::new(Mutex::new(Vec::new()));
    h.core.set_handler(Box::new(Referee { decision, seen: seen.clone() }));
    (h, seen)
}

fn established(h: &mut Harness, i: u64) -> (UacCall, CallHandle) {
    let mut uac = UacCall::new(i);
    uac.learn_tag(only(&h.send(uac.invite()), "200 INVITE"));
    h.send(uac.ack_2xx(1));
    let handle = *h.handles.last().expect("the call's events");
    (uac, handle)
}

/// The peer's REFER with these extra header lines.
fn refer(uac: &mut UacCall, extra: &str) -> bytes::Bytes {
    uac.cseq += 1;
    let b = uac.new_branch();
    uac.request("REFER", &b, uac.cseq, extra, None)
}

const TO_CAROL: &str = "Refer-To: <sip:carol@127.0.0.1:5090>\r\nReferred-By: <sip:alice@127.0.0.1>\r\n";

fn sipfrag(m: &Message) -> &str {
    assert_eq!(hdr(m, "Content-Type"), Some("message/sipfrag;version=2.0"));
    std::str::from_utf8(m.body()).unwrap().trim_end()
}

/// A REFER accepted: 202, NOTIFY 100 Trying (active), the application
/// told whom to call; the call it places carries Referred-By and, when
/// answered, ends the subscription with NOTIFY 200 OK.
#[test]
fn an_accepted_refer_is_notified_until_the_referred_call_is_answered() {
    let (mut h, seen) = harness(ReferDecision::Accept);
    let (mut uac, original) = established(&mut h, 1);
    let sent = h.send(refer(&mut uac, TO_CAROL));
    assert_eq!(labels(&sent), ["202 REFER", "NOTIFY"]);
    let n = &sent[1];
    assert_eq!(hdr(n, "Event"), Some("refer;id=2"));
    assert_eq!(hdr(n, "Subscription-State"), Some("active;expires=120"));
    assert_eq!(sipfrag(n), "SIP/2.0 100 Trying");
    assert_eq!(n.to_tag().unwrap(), Some(uac.from_tag.as_str()), "in the call's dialog");
    assert!(hdr(n, "Contact").is_some());
    h.send(respond(n, 200, "OK"));
    let carol = "sip:carol@127.0.0.1:5090".to_string();
    assert_eq!(*seen.lock().unwrap(), [(carol.clone(), Some("sip:alice@127.0.0.1".to_string()))]);
    let referred =
        EventKind::Referred { target: carol.clone(), referred_by: Some("sip:alice@127.0.0.1".into()) };
    assert!(h.events.contains(&referred), "{:?}", h.events);
    // The application places the call the REFER asked for.
    let (new_call, sent) =
        h.place(&OutgoingCall::new(&carol).referred(original, Some("sip:alice@127.0.0.1")));
    let inv = only(&sent, "INVITE").clone();
    assert_eq!(hdr(&inv, "Referred-By"), Some("<sip:alice@127.0.0.1>"));
    assert!(h.send(reply(&inv, 180, Some("c1"), "", None)).is_empty(), "a 1xx tells nothing new");
    let sent = h.send(reply(&inv, 200, Some("c1"), "", Some(&pcmu_offer())));
    assert_eq!(labels(&sent), ["ACK", "NOTIFY"]);
    let n = &sent[1];
    assert_eq!(hdr(n, "Subscription-State"), Some("terminated;reason=noresource"));
    assert_eq!(sipfrag(n), "SIP/2.0 200 OK");
    assert_eq!(n.cseq().unwrap().seq, 2, "our second request in the original dialog");
    h.send(respond(n, 200, "OK"));
    // The transferor hangs up; the new call goes on until we end it.
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    let sent = h.command(Command::Hangup(new_call)).unwrap();
    h.send(reply(only(&sent, "BYE"), 200, Some("c1"), "", None));
    h.drain();
}

/// The referred call refused: the final NOTIFY carries its status.
#[test]
fn a_refused_referred_call_is_notified_with_its_status() {
    let (mut h, _) = harness(ReferDecision::Accept);
    let (mut uac, original) = established(&mut h, 2);
    let sent = h.send(refer(&mut uac, "Refer-To: sip:carol@127.0.0.1:5090\r\n"));
    // The first NOTIFY's 200 comes late, after the final NOTIFY went.
    let first = only(&sent, "NOTIFY").clone();
    let (_, sent) = h.place(&OutgoingCall::new("sip:carol@127.0.0.1:5090").referred(original, None));
    let inv = only(&sent, "INVITE").clone();
    assert_eq!(hdr(&inv, "Referred-By"), None);
    let sent = h.send(reply(&inv, 486, Some("c1"), "", None));
    let n = only(&sent, "NOTIFY");
    assert_eq!(sipfrag(n), "SIP/2.0 486 Busy Here");
    assert_eq!(hdr(n, "Subscription-State"), Some("terminated;reason=noresource"));
    h.send(respond(n, 200, "OK"));
    h.send(respond(&first, 200, "OK"));
    // Neither answer ended the call.
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    h.drain();
}

/// Accepted, but no call placed: the subscription ends after its
/// expiry with NOTIFY terminated;reason=timeout, and the call goes on.
#[test]
fn an_implicit_subscription_that_expires_is_ended() {
    let (mut h, _) = harness(ReferDecision::Accept);
    let (mut uac, _) = established(&mut h, 3);
    let sent = h.send(refer(&mut uac, TO_CAROL));
    h.send(respond(&sent[1], 200, "OK"));
    assert!(h.advance(ms(119_900)).is_empty());
    let sent = h.advance(ms(200));
    assert_eq!(sent.len(), 1);
    let n = &sent[0].1;
    assert_eq!(hdr(n, "Subscription-State"), Some("terminated;reason=timeout"));
    h.send(respond(n, 200, "OK"));
    // A new REFER may come now; the call is still up.
    assert_eq!(labels(&h.send(refer(&mut uac, TO_CAROL)))[0], "202 REFER");
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    h.drain();
}

/// What is refused: no or two Refer-To, a URI we would not write back,
/// a bad Referred-By (400); a second REFER meanwhile (491); the
/// handler's refusals (603 by default, 403).
#[test]
fn refers_are_checked_and_refusals_answered() {
    let (mut h, seen) = harness(ReferDecision::Decline);
    let (mut uac, _) = established(&mut h, 4);
    let bad = [
        "",
        "Refer-To: <sip:a@127.0.0.1>\r\nRefer-To: <sip:b@127.0.0.1>\r\n",
        "Refer-To: <http://127.0.0.1/x>\r\n",
        "Refer-To: <sip:a@127.0.0.1>\r\nReferred-By: nonsense<\r\n",
    ];
    for extra in bad {
        assert_eq!(labels(&h.send(refer(&mut uac, extra))), ["400 REFER"], "{extra:?}");
    }
    assert!(seen.lock().unwrap().is_empty(), "the handler saw none of them");
    assert_eq!(labels(&h.send(refer(&mut uac, TO_CAROL))), ["603 REFER"]);
    h.send(uac.in_dialog("BYE", None));

    let (mut h, _) = harness(ReferDecision::Forbidden);
    let (mut uac, _) = established(&mut h, 5);
    assert_eq!(labels(&h.send(refer(&mut uac, TO_CAROL))), ["403 REFER"]);
    h.send(uac.in_dialog("BYE", None));
    h.drain();

    let (mut h, _) = harness(ReferDecision::Accept);
    let (mut uac, _) = established(&mut h, 6);
    let sent = h.send(refer(&mut uac, TO_CAROL));
    h.send(respond(&sent[1], 200, "OK"));
    assert_eq!(labels(&h.send(refer(&mut uac, TO_CAROL))), ["491 REFER"]);
    // The peer ends the call: the subscription ends with it.
    h.send(uac.in_dialog("BYE", None));
    h.drain();
}

fn transfer_events(h: &mut Harness) -> Vec<TransferStatus> {
    h.take_events()
        .into_iter()
        .filter_map(|e| if let EventKind::Transfer(s) = e { Some(s) } else { None })
        .collect()
}

/// Our REFER taken but no NOTIFY within 64·T1: the transfer expires and
/// the call goes on (it no longer stays "transferring").
#[test]
fn our_transfer_without_notify_expires() {
    let (mut h, _) = harness(ReferDecision::Decline);
    let (mut uac, call) = established(&mut h, 7);
    let target = "sip:carol@127.0.0.1:5090".to_string();
    let sent = h.command(Command::Transfer { call, target: target.clone() }).unwrap();
    h.send(respond(only(&sent, "REFER"), 202, "Accepted"));
    assert_eq!(transfer_events(&mut h), [TransferStatus::Accepted]);
    let again = h.command(Command::Transfer { call, target: target.clone() }).map(|_| ());
    assert_eq!(again, Err(sipbench::CommandError::Pending));
    h.advance(ms(31_999));
    assert!(transfer_events(&mut h).is_empty());
    h.advance(ms(1));
    assert_eq!(transfer_events(&mut h), [TransferStatus::Expired]);
    // Over: another transfer may start; a NOTIFY with an expiry re-arms
    // the wait to that expiry; one that came before the 202 counts as
    // its acceptance (said once).
    let sent = h.command(Command::Transfer { call, target }).unwrap();
    let r = only(&sent, "REFER").clone();
    let notify = |uac: &mut UacCall, state: &str, frag: &str| {
        uac.cseq += 1;
        let b = uac.new_branch();
        let extra = format!("Event: refer\r\nSubscription-State: {state}\r\n");
        uac.request("NOTIFY", &b, uac.cseq, &extra, Some(("message/sipfrag", frag)))
    };
    let ok = h.send(notify(&mut uac, "active;expires=10", "SIP/2.0 100 Trying\r\n"));
    assert_eq!(labels(&ok), ["200 NOTIFY"]);
    h.send(respond(&r, 202, "Accepted"));
    assert_eq!(transfer_events(&mut h), [TransferStatus::Accepted, TransferStatus::Trying(100)]);
    h.advance(ms(9_999));
    assert!(transfer_events(&mut h).is_empty());
    h.advance(ms(1));
    assert_eq!(transfer_events(&mut h), [TransferStatus::Expired]);
    // The call is still up.
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    h.drain();
}
