//! RFC 3261 over reliable transports, sans-IO with a fake clock: answers
//! go back on the request's connection (§18.2.2), nothing is
//! retransmitted but our 2xx (§13.3.1.4, §17), Timers I/J/K/D are zero,
//! Via and Contact name TCP or TLS, requests we send in a dialog use the
//! caller's connection, a call we place learns its connection from the
//! first response and releases it when it ends.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use common::{Harness, UacCall, label, ms, pcmu_offer, reply};
use sipbench::core::{CoreConfig, OutgoingCall, Transmit};
use sipbench::dialog::CallPolicy;
use sipbench::sip::{HeaderName, Message, Transport};
use sipbench::txn::{ConnId, Peer};

const CONN: ConnId = ConnId { shard: 0, generation: 7, slot: 3 };

fn peer(t: Transport, conn: ConnId) -> Peer {
    Peer::stream("127.0.0.1:40000".parse().unwrap(), t, conn)
}

fn config(policy: CallPolicy) -> CoreConfig {
    CoreConfig {
        policy,
        local_tcp: Some("127.0.0.1:5070".parse().unwrap()),
        local_tls: Some("127.0.0.1:5071".parse().unwrap()),
        ..CoreConfig::default()
    }
}

/// Feeds a message from `from`; returns each transmit with its parse.
fn feed(h: &mut Harness, from: Peer, data: Bytes) -> Vec<(Transmit, Message)> {
    h.core.on_message(h.now, from, data, &mut h.out);
    take(h)
}

fn take(h: &mut Harness) -> Vec<(Transmit, Message)> {
    let sent: Vec<Transmit> = h.out.transmits.clone();
    h.collect();
    sent.into_iter().map(|t| (t.clone(), Message::parse(t.data.clone()).expect("we sent garbage"))).collect()
}

fn over_tcp(b: Bytes) -> Bytes {
    Bytes::from(String::from_utf8(b.to_vec()).unwrap().replace("SIP/2.0/UDP", "SIP/2.0/TCP"))
}

fn advance(h: &mut Harness, d: Duration) -> Vec<(Transmit, Message)> {
    let mut all = Vec::new();
    let end = h.now + d;
    while let Some(t) = h.core.next_deadline().filter(|&t| t <= end) {
        h.now = h.now.max(t);
        h.core.on_timers(h.now, &mut h.out);
        all.extend(take(h));
    }
    h.now = end;
    all
}

#[test]
fn answers_return_on_the_connection_with_a_tcp_contact_and_2xx_is_still_resent() {
    let mut h = Harness::new(config(CallPolicy::default()));
    let uac = UacCall::new(1);
    let sent = feed(&mut h, peer(Transport::Tcp, CONN), over_tcp(uac.invite()));
    let (t, ok) = sent.iter().find(|(_, m)| m.status_code() == Some(200)).expect("a 200");
    assert_eq!(t.to.conn, Some(CONN), "§18.2.2: back on the request's connection");
    assert_eq!(t.to.transport, Transport::Tcp);
    assert_eq!(ok.header(HeaderName::Contact), Some("<sip:sipbench@127.0.0.1:5070;transport=tcp>"));
    // Our 2xx is the one message resent over a stream, until the ACK.
    let again = advance(&mut h, ms(600));
    let labels: Vec<String> = again.iter().map(|(_, m)| label(m)).collect();
    assert_eq!(labels, ["200 INVITE"]);
    assert_eq!(again[0].0.to.conn, Some(CONN));
}

#[test]
fn a_rejection_is_not_retransmitted_and_timer_i_is_zero() {
    let policy = CallPolicy { reject_percent: 100, reject_code: 486, ..CallPolicy::default() };
    let mut h = Harness::new(config(policy));
    let mut uac = UacCall::new(2);
    let sent = feed(&mut h, peer(Transport::Tcp, CONN), over_tcp(uac.invite()));
    let busy = &sent.iter().find(|(_, m)| m.status_code() == Some(486)).expect("486").1;
    uac.learn_tag(busy);
    // Over UDP Timer G would resend the 486 from 500 ms on.
    assert!(advance(&mut h, Duration::from_secs(10)).is_empty(), "no Timer G over TCP");
    assert_eq!(h.core.table_sizes().server_txns, 1, "waiting for the ACK (Timer H)");
    feed(&mut h, peer(Transport::Tcp, CONN), over_tcp(uac.ack_non2xx()));
    advance(&mut h, ms(1));
    assert_eq!(h.core.table_sizes().server_txns, 0, "Timer I is zero over TCP");
}

#[test]
fn server_bye_goes_over_the_callers_connection_and_is_not_retransmitted() {
    let policy = CallPolicy { hangup: ms(100), ..CallPolicy::default() };
    let mut h = Harness::new(config(policy));
    let mut uac = UacCall::new(3);
    let from = peer(Transport::Tcp, CONN);
    let sent = feed(&mut h, from, over_tcp(uac.invite()));
    uac.learn_tag(&sent.iter().find(|(_, m)| m.status_code() == Some(200)).unwrap().1);
    feed(&mut h, from, over_tcp(uac.ack_2xx(1)));
    let sent = advance(&mut h, ms(150));
    let (t, bye) = sent.iter().find(|(_, m)| label(m) == "BYE").expect("our BYE");
    assert_eq!(t.to.conn, Some(CONN), "the dialog's connection");
    let contact: SocketAddr = "127.0.0.1:5061".parse().unwrap();
    assert_eq!(t.to.addr, contact, "the Contact, should the connection be gone");
    let via = bye.via().unwrap();
    assert_eq!((via.transport, via.sent_by), ("TCP", "127.0.0.1:5070"));
    // No Timer E over TCP: 10 s of silence.
    assert!(advance(&mut h, Duration::from_secs(10)).iter().all(|(_, m)| label(m) != "BYE"));
    // The 200 may come on another connection: matched by branch.
    let other = ConnId { slot: 9, ..CONN };
    let ok = common::respond(bye, 200, "OK");
    feed(&mut h, peer(Transport::Tcp, other), ok);
    assert_eq!(h.core.stats().calls_completed, 1);
    advance(&mut h, ms(1));
    assert_eq!(h.core.table_sizes().client_txns, 0, "Timer K is zero over TCP");
}

#[test]
fn a_bye_that_cannot_be_sent_over_a_stream_ends_the_call() {
    let policy = CallPolicy { hangup: ms(100), ..CallPolicy::default() };
    let mut h = Harness::new(config(policy));
    let mut uac = UacCall::new(4);
    let from = peer(Transport::Tcp, CONN);
    let sent = feed(&mut h, from, over_tcp(uac.invite()));
    uac.learn_tag(&sent.iter().find(|(_, m)| m.status_code() == Some(200)).unwrap().1);
    feed(&mut h, from, over_tcp(uac.ack_2xx(1)));
    let sent = advance(&mut h, ms(150));
    let (t, _) = sent.iter().find(|(_, m)| label(m) == "BYE").unwrap();
    h.core.on_send_failure(h.now, t.call.expect("the BYE names its call"), "connection refused", &mut h.out);
    assert_eq!(h.core.stats().active_calls, 0, "ended at once, not after Timer F");
    assert_eq!(h.core.stats().calls_failed(), 1);
}

#[test]
fn non_invite_transactions_end_at_once_over_tls_with_a_sips_contact() {
    let mut h = Harness::new(config(CallPolicy::default()));
    let uac = UacCall::new(5);
    let options = String::from_utf8(uac.request("OPTIONS", "z9hG4bK-o1", 1, "", None).to_vec())
        .unwrap()
        .replace("SIP/2.0/UDP", "SIP/2.0/TLS");
    let sent = feed(&mut h, peer(Transport::Tls, CONN), Bytes::from(options));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0.to.transport, Transport::Tls);
    assert_eq!(h.core.table_sizes().server_txns, 1);
    advance(&mut h, ms(1));
    assert_eq!(h.core.table_sizes().server_txns, 0, "Timer J is zero over TLS");
    // A dialog over TLS gets a sips: Contact.
    let sent = feed(&mut h, peer(Transport::Tls, CONN), uac.invite());
    let ok = &sent.iter().find(|(_, m)| m.status_code() == Some(200)).unwrap().1;
    assert_eq!(ok.header(HeaderName::Contact), Some("<sips:sipbench@127.0.0.1:5071>"));
}

#[test]
fn a_placed_call_learns_its_connection_and_releases_it() {
    let mut h = Harness::new(config(CallPolicy::default()));
    let target = "sip:bob@127.0.0.1:5080;transport=tcp";
    let call =
        OutgoingCall::new(target).from("sip:alice@127.0.0.1").to("sip:bob@127.0.0.1").hang_up_after(ms(100));
    let cmd = sipbench::core::Command::Place(std::sync::Arc::new(call));
    h.core.on_command(h.now, cmd, &mut h.out).unwrap();
    let sent = take(&mut h);
    let (t, invite) = &sent[0];
    assert_eq!((t.to.transport, t.to.conn), (Transport::Tcp, None), "any connection to the target");
    assert_eq!(t.to.addr, "127.0.0.1:5080".parse::<SocketAddr>().unwrap());
    assert_eq!(invite.via().unwrap().transport, "TCP");
    assert_eq!(invite.header(HeaderName::Contact), Some("<sip:sipbench@127.0.0.1:5070;transport=tcp>"));
    assert!(advance(&mut h, Duration::from_secs(5)).is_empty(), "no Timer A over TCP");
    let from = peer(Transport::Tcp, CONN);
    let ok = reply(
        invite,
        200,
        Some("b1"),
        "Contact: <sip:bob@127.0.0.1:5080;transport=tcp>\r\n",
        Some(&pcmu_offer()),
    );
    let sent = feed(&mut h, from, ok);
    let (t, _) = sent.iter().find(|(_, m)| label(m) == "ACK").expect("ACK");
    assert_eq!(t.to.conn, Some(CONN), "the ACK goes where the answer came from");
    let sent = advance(&mut h, ms(150));
    let (t, bye) = sent.iter().find(|(_, m)| label(m) == "BYE").expect("BYE");
    assert_eq!(t.to.conn, Some(CONN));
    h.core.on_message(h.now, from, common::respond(bye, 200, "OK"), &mut h.out);
    assert_eq!(h.out.released, vec![CONN], "the ended call lets its connection go");
    assert_eq!(h.core.stats().uac.completed, 1);
}

/// The INVITE goes to the call's target over the Request-URI's transport:
/// the transport's default port when the URI names none (5061 for
/// `sips:`), else the outbound proxy; again there after a challenge, on
/// the connection the challenge came on (the dialog's next hop is not
/// known before it is established).
#[test]
fn a_placed_invite_goes_to_its_target_and_again_after_a_challenge() {
    let mut h = Harness::new(config(CallPolicy::default()));
    let place = |h: &mut Harness, call: OutgoingCall| {
        let cmd = sipbench::core::Command::Place(std::sync::Arc::new(call));
        h.core.on_command(h.now, cmd, &mut h.out).unwrap();
        take(h)
    };
    let sent = place(&mut h, OutgoingCall::new("sips:bob@127.0.0.1"));
    let (t, invite) = &sent[0];
    assert_eq!((t.to.addr, t.to.transport), ("127.0.0.1:5061".parse().unwrap(), Transport::Tls));
    assert_eq!(invite.via().unwrap().transport, "TLS");
    assert_eq!(invite.from().unwrap().uri, "sips:sipbench@127.0.0.1:5071", "our own address over TLS");

    let proxy: SocketAddr = "127.0.0.1:5090".parse().unwrap();
    let call = OutgoingCall::new("sip:bob@192.0.2.10;transport=tcp")
        .outbound_proxy(proxy)
        .credentials("alice", "pw");
    let sent = place(&mut h, call);
    let (t, invite) = &sent[0];
    assert_eq!((t.to.addr, t.to.transport, t.to.conn), (proxy, Transport::Tcp, None));
    let challenge = "Proxy-Authenticate: Digest realm=\"r\", nonce=\"n\", algorithm=MD5\r\n";
    let sent = feed(
        &mut h,
        Peer::stream(proxy, Transport::Tcp, CONN),
        reply(invite, 407, Some("p1"), challenge, None),
    );
    let (t, again) = sent.iter().find(|(_, m)| label(m) == "INVITE").expect("the INVITE again");
    assert!(again.header_by_name("Proxy-Authorization").is_some());
    assert_eq!((t.to.addr, t.to.conn), (proxy, Some(CONN)), "to the proxy, on its connection");
}
