//! The RFC 4475 torture messages through a `ShardCore` (sans-IO): each
//! message of `tests/corpus/rfc4475/` goes as one datagram to a fresh core
//! configured as `sipbench-server` runs by default, and its first response
//! (100 Trying aside) must be one the manifest's `expect` allows, with the
//! headers `must_have` and `must_list` name. The REGISTER messages go once
//! more to a core with the registrar on, against the manifest's
//! `registrar`. `tests/rfc4475_server.rs` sends the same messages to a
//! real server over UDP; this is the fast, deterministic half.

mod common;

use std::net::SocketAddr;

use bytes::Bytes;
use common::Harness;
use sipbench::core::{CoreConfig, Registrar};
use sipbench::sip::{HeaderName, Message};

#[path = "common/rfc4475.rs"]
mod rfc4475;
use rfc4475::{Entry, Reply, manifest};

/// The first response to `e`'s bytes from a fresh core, and the core's
/// response messages. Each message comes from its own address, as on the
/// wire.
fn first_response(e: &Entry, cfg: CoreConfig) -> (Reply, Option<Message>) {
    let mut h = Harness::new(cfg);
    let from: SocketAddr = "192.0.2.200:5060".parse().unwrap();
    let out = h.send_from(from, Bytes::from(e.bytes()));
    let first = out.into_iter().find(|m| m.status_code().is_some_and(|c| c != 100));
    (first.as_ref().map_or(Reply::None, |m| Reply::Status(m.status_code().unwrap())), first)
}

/// What is wrong with a response the manifest's `expect` allows.
fn header_faults(e: &Entry, m: &Message) -> Vec<String> {
    let mut faults = Vec::new();
    for h in &e.must_have {
        if m.header_by_name(h).is_none() {
            faults.push(format!("lacks {h}"));
        }
    }
    if let Some((h, items)) = &e.must_list {
        let listed: Vec<String> = m
            .headers()
            .filter(|x| x.raw_name.eq_ignore_ascii_case(h))
            .flat_map(|x| x.value.split(',').map(|s| s.trim().to_string()).collect::<Vec<_>>())
            .collect();
        faults.extend(items.iter().filter(|i| !listed.contains(i)).map(|i| format!("{h} lacks {i}")));
    }
    // A 405 or 501 lists what we serve, and REGISTER only with a registrar.
    if matches!(m.status_code(), Some(405 | 501)) {
        let allow = m.header(HeaderName::Allow).unwrap_or("");
        if allow.contains("REGISTER") || !allow.contains("INVITE") {
            faults.push(format!("Allow: {allow}"));
        }
    }
    faults
}

#[test]
fn every_message_gets_the_manifests_first_response() {
    let mut wrong = Vec::new();
    let mut answered = 0;
    for e in manifest() {
        assert!(e.today.is_none(), "{}: issue 26 fixed every known defect", e.name);
        let (got, first) = first_response(&e, CoreConfig::default());
        if !e.expect.contains(&got) {
            wrong.push(format!("{}: got {}, expect {:?}", e.name, got.label(), e.expect));
            continue;
        }
        if let Some(m) = first {
            answered += 1;
            wrong.extend(
                header_faults(&e, &m).into_iter().map(|f| format!("{}: {} {f}", e.name, got.label())),
            );
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(answered >= 40, "only {answered} messages were answered");
}

#[test]
fn a_registrar_answers_the_register_messages_as_the_manifest_says() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for e in manifest() {
        let Some(want) = &e.registrar else { continue };
        let cfg = CoreConfig { registrar: Some(Registrar::default()), ..CoreConfig::default() };
        let (got, first) = first_response(&e, cfg);
        checked += 1;
        if !want.contains(&got) {
            wrong.push(format!("{}: got {}, registrar {want:?}", e.name, got.label()));
        }
        // A 200 lists the bindings it made (none for a query without
        // Contact), each with its expiry.
        if let Some(m) = first.filter(|m| m.status_code() == Some(200)) {
            let asked = Message::parse(Bytes::from(e.bytes())).unwrap().contacts().count();
            let contacts: Vec<&str> = m.header_values(HeaderName::Contact).collect();
            if contacts.len() != asked || !contacts.iter().all(|c| c.contains(";expires=")) {
                wrong.push(format!("{}: {asked} asked, 200 Contact {contacts:?}", e.name));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(checked, 8, "every REGISTER of the corpus has a registrar outcome");
}
