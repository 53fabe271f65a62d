//! Issue 26, item 5: the opt-in in-memory registrar (RFC 3261 §10.3),
//! sans-IO with a fake clock. Bindings are added, listed with the time
//! they have left, refreshed, removed one by one or all at once, and
//! expire; a REGISTER that is out of order, too brief, malformed or
//! refused by the handler changes nothing; shards share the bindings.
//! Without a registrar REGISTER gets 405 (`core_conformance.rs`).

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use common::*;
use sipbench::core::{
    CallHandler, CoreConfig, Decision, FinalStatus, IncomingCall, IncomingRequest, Registrar,
};
use sipbench::sip::{HeaderName, Message};

const AOR: &str = "sip:alice@example.com";

/// A REGISTER for alice with these extra header lines (Contact, Expires),
/// each a transaction of its own.
fn register(call_id: &str, cseq: u32, extra: &str) -> Bytes {
    static BRANCH: AtomicU64 = AtomicU64::new(0);
    let n = BRANCH.fetch_add(1, Ordering::Relaxed);
    Bytes::from(format!(
        "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-r{n}\r\n\
         From: <sip:alice@example.com>;tag=r1\r\nTo: <sip:alice@EXAMPLE.com>\r\nCall-ID: {call_id}\r\n\
         CSeq: {cseq} REGISTER\r\nMax-Forwards: 70\r\n{extra}Content-Length: 0\r\n\r\n"
    ))
}

fn with_registrar(registrar: &Registrar, shard: u16) -> Harness {
    Harness::new(CoreConfig { shard, shards: 2, registrar: Some(registrar.clone()), ..CoreConfig::default() })
}

/// The one final response, and its Contact values.
fn answer(out: &[Message]) -> (u16, Vec<String>) {
    assert_eq!(out.len(), 1, "{}", labels(out).join(", "));
    let contacts = out[0].header_values(HeaderName::Contact).map(str::to_owned).collect();
    (out[0].status_code().unwrap(), contacts)
}

#[test]
fn bindings_are_listed_refreshed_removed_and_expire() {
    let registrar = Registrar::default();
    let mut h = with_registrar(&registrar, 0);
    let two = "Contact: <sip:alice@192.0.2.1:5062>, <sip:alice@192.0.2.2>;expires=120\r\nExpires: 600\r\n";
    let (code, contacts) = answer(&h.send(register("c1", 1, two)));
    assert_eq!(code, 200);
    assert_eq!(contacts, ["<sip:alice@192.0.2.1:5062>;expires=600", "<sip:alice@192.0.2.2>;expires=120"]);
    let now = h.now;
    let bound = registrar.contacts(AOR, now);
    assert_eq!(bound.len(), 2, "the AOR is the To's, host in lower case");

    // A query (no Contact) lists them; a binding's CSeq again (same
    // Call-ID) is out of order, and then nothing changes, not even the
    // contact that is new.
    assert_eq!(answer(&h.send(register("c1", 2, ""))).1.len(), 2);
    let stale = "Contact: <sip:alice@192.0.2.9>, <sip:alice@192.0.2.2>;expires=0\r\n";
    let (code, _) = answer(&h.send(register("c1", 1, stale)));
    assert_eq!(code, 500);
    assert_eq!(registrar.contacts(AOR, now).len(), 2, "the refused REGISTER changed nothing");

    // Refresh one, remove the other by expires=0.
    let change = "Contact: <sip:alice@192.0.2.1:5062>;expires=3600, <sip:alice@192.0.2.2>;expires=0\r\n";
    let (code, contacts) = answer(&h.send(register("c1", 3, change)));
    assert_eq!((code, contacts), (200, vec!["<sip:alice@192.0.2.1:5062>;expires=3600".to_string()]));

    // An hour later it has expired.
    h.advance(Duration::from_secs(3601));
    assert!(registrar.contacts(AOR, h.now).is_empty());
    assert!(answer(&h.send(register("c1", 4, ""))).1.is_empty());
}

#[test]
fn wildcard_removes_every_binding_and_only_with_expires_0() {
    let registrar = Registrar::default();
    let mut h = with_registrar(&registrar, 0);
    answer(&h.send(register("c1", 1, "Contact: <sip:a@192.0.2.1>\r\n")));
    answer(&h.send(register("c2", 1, "Contact: <sip:a@192.0.2.2>\r\n")));
    assert_eq!(registrar.contacts(AOR, h.now).len(), 2);
    assert_eq!(answer(&h.send(register("c3", 1, "Contact: *\r\n"))).0, 400);
    assert_eq!(answer(&h.send(register("c3", 2, "Contact: *, <sip:a@b>\r\nExpires: 0\r\n"))).0, 400);
    assert_eq!(answer(&h.send(register("c3", 3, "Contact: *\r\nExpires: 0\r\n"))), (200, vec![]));
    assert!(registrar.contacts(AOR, h.now).is_empty());
}

#[test]
fn refusals_change_nothing() {
    let registrar = Registrar::default();
    let mut h = with_registrar(&registrar, 0);
    let brief = h.send(register("c1", 1, "Contact: <sip:a@192.0.2.1>;expires=30\r\n"));
    assert_eq!(answer(&brief).0, 423);
    assert_eq!(hdr(&brief[0], "Min-Expires"), Some("60"));
    let isbn = String::from_utf8(register("c1", 2, "Contact: <sip:a@192.0.2.1>\r\n").to_vec())
        .unwrap()
        .replace("To: <sip:alice@EXAMPLE.com>", "To: isbn:2983792873");
    assert_eq!(answer(&h.send(Bytes::from(isbn))).0, 400, "a To that is no SIP AOR");
    let bare_headers = "Contact: sip:a@192.0.2.1?Route=%3Csip:x%3E\r\n";
    assert_eq!(answer(&h.send(register("c1", 3, bare_headers))).0, 400, "URI headers need <>");
    assert_eq!(answer(&h.send(register("c1", 4, "Expires: soon\r\nContact: <sip:a@b>\r\n"))).0, 400);
    assert!(registrar.contacts(AOR, h.now).is_empty());

    // The handler may refuse: its status goes out and nothing is bound.
    struct Forbid;
    impl CallHandler for Forbid {
        fn on_incoming(&mut self, _: &IncomingCall<'_>) -> Decision {
            Decision::forbidden()
        }
        fn on_register(&mut self, _: &IncomingRequest<'_>) -> FinalStatus {
            FinalStatus::FORBIDDEN
        }
    }
    h.core.set_handler(Box::new(Forbid));
    assert_eq!(answer(&h.send(register("c1", 5, "Contact: <sip:a@192.0.2.1>\r\n"))).0, 403);
    assert!(registrar.contacts(AOR, h.now).is_empty());
}

/// A REGISTER lands on the shard its Call-ID hashes to: the bindings are
/// the engine's, so every shard sees them. Allow names REGISTER.
#[test]
fn shards_share_the_bindings() {
    let registrar = Registrar::default();
    let (mut a, mut b) = (with_registrar(&registrar, 0), with_registrar(&registrar, 1));
    answer(&a.send(register("c1", 1, "Contact: <sip:a@192.0.2.1>\r\n")));
    let (code, contacts) = answer(&b.send(register("c2", 1, "Contact: <sip:a@192.0.2.2>\r\n")));
    assert_eq!((code, contacts.len()), (200, 2));
    let out = b.send(UacCall::new(1).request("OPTIONS", "z9hG4bK-o", 1, "", None));
    assert!(hdr(only(&out, "200 OPTIONS"), "Allow").unwrap().contains("REGISTER"));
}
