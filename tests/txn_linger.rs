//! What a lingering server transaction keeps (64·T1 after a call, to
//! absorb retransmissions): only its own bytes. An INVITE transaction
//! that sent a 2xx keeps neither the request nor the 2xx; a non-INVITE
//! transaction keeps a copy of its final response over UDP, apart from the
//! output block it was written into (`KeptResponses`), and nothing over a
//! stream; a non-2xx final to an INVITE is kept until the ACK only.
//! Client transactions (the calls we place) let their request go at the
//! final response: an accepted INVITE lingers 64·T1 (Timer M), a BYE T4
//! (Timer K), and neither retransmits after a final.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use sipbench::sip::{Message, Method, Transport, Writer};
use sipbench::timer::TimerWheel;
use sipbench::txn::{
    ClientOutcome, ConnId, IctState, InviteClientTxn, InviteServerTxn, KeptResponses, MessageKind, NictState,
    NistState, NonInviteClientTxn, NonInviteServerTxn, Peer, RequestBoxes, TimerConfig, TxnCtx, TxnOutput,
    TxnTimer, TxnTimerRef,
};

#[derive(Default)]
struct Sent(Vec<Bytes>);

impl TxnOutput for &mut Sent {
    fn send(&mut self, _to: Peer, data: Bytes, _kind: MessageKind) {
        self.0.push(data);
    }
}

/// What a shard lends its transactions.
struct Shard {
    now: Instant,
    wheel: TimerWheel<TxnTimerRef>,
    timers: TimerConfig,
    kept: KeptResponses,
    boxes: RequestBoxes,
}

impl Shard {
    fn new() -> Shard {
        let now = Instant::now();
        let (kept, boxes) = (KeptResponses::default(), RequestBoxes::default());
        Shard { now, wheel: TimerWheel::new(now), timers: TimerConfig::default(), kept, boxes }
    }

    fn ctx<'a>(&'a mut self, sent: &'a mut Sent) -> TxnCtx<'a, TxnTimerRef, &'a mut Sent> {
        let (wheel, timers, kept, boxes) = (&mut self.wheel, &self.timers, &mut self.kept, &mut self.boxes);
        TxnCtx { now: self.now, wheel, out: sent, timers, kept, boxes }
    }
}

fn source() -> SocketAddr {
    "127.0.0.1:5062".parse().unwrap()
}

/// A response written into a 32 KiB output block, as the core's writer
/// does: the block stays alive while any share of it does.
fn in_block(text: &[u8]) -> (Bytes, Bytes) {
    let mut block = BytesMut::with_capacity(32 * 1024);
    block.extend_from_slice(text);
    let response = block.split().freeze();
    block.extend_from_slice(b"another call's message");
    (response, block.freeze())
}

fn invite() -> Bytes {
    let body =
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n";
    Bytes::from(format!(
        "INVITE sip:s@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-1\r\n\
         From: <sip:c@127.0.0.1>;tag=1\r\nTo: <sip:s@127.0.0.1>\r\nCall-ID: linger@h\r\nCSeq: 1 INVITE\r\n\
         Contact: <sip:c@127.0.0.1:5062>\r\nMax-Forwards: 70\r\nContent-Type: application/sdp\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    ))
}

const OK: &[u8] =
    b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-1\r\nContent-Length: 0\r\n\r\n";

#[test]
fn an_accepted_invite_transaction_keeps_no_request_and_no_response() {
    let mut sh = Shard::new();
    let raw = invite();
    let mut txn = InviteServerTxn::new(
        Box::new(Message::parse(raw.clone()).unwrap()),
        source(),
        Peer::udp(source()),
        1,
    );
    assert!(txn.heap_bytes() >= raw.len(), "the request is held while the call is set up");
    let (ok, rest_of_block) = in_block(OK);
    let mut sent = Sent::default();
    let mut ctx = sh.ctx(&mut sent);
    txn.respond(&mut ctx, 0, 200, ok.clone());
    assert_eq!(sent.0, vec![ok.clone()]);
    assert_eq!(txn.heap_bytes(), 0);
    assert!(txn.request().is_none());
    // The box goes back for the next INVITE: no allocation per call.
    assert_eq!(sh.boxes.free(), 1);
    drop(sent);
    // Nobody but this test holds the request's buffer or the 2xx now.
    assert!(raw.is_unique());
    drop(rest_of_block);
    assert!(ok.is_unique());
}

#[test]
fn a_completed_non_invite_transaction_keeps_its_response_apart_from_the_output_block() {
    let mut sh = Shard::new();
    let mut txn = NonInviteServerTxn::new(Peer::udp(source()), 1);
    let (ok, rest_of_block) = in_block(OK);
    let mut sent = Sent::default();
    txn.respond(&mut sh.ctx(&mut sent), 0, 200, ok.clone());
    assert_eq!(txn.state, NistState::Completed);
    assert_eq!(txn.heap_bytes(), OK.len());
    sent.0.clear();
    drop(rest_of_block);
    // The transaction's copy is its own: the block's last share is ours.
    assert!(ok.is_unique());
    // A retransmitted request gets the same bytes again.
    assert!(txn.on_retransmit(&mut sh.ctx(&mut sent)));
    assert_eq!(sent.0, vec![Bytes::from_static(OK)]);
}

#[test]
fn over_a_stream_a_completed_non_invite_transaction_keeps_nothing() {
    let mut sh = Shard::new();
    let conn = ConnId { shard: 0, generation: 1, slot: 1 };
    let mut txn = NonInviteServerTxn::new(Peer::stream(source(), Transport::Tcp, conn), 1);
    let mut sent = Sent::default();
    txn.respond(&mut sh.ctx(&mut sent), 0, 200, in_block(OK).0);
    assert_eq!(sent.0.len(), 1);
    assert_eq!(txn.heap_bytes(), 0);
}

#[test]
fn a_rejected_invite_keeps_its_response_until_the_ack_only() {
    let mut sh = Shard::new();
    let mut txn =
        InviteServerTxn::new(Box::new(Message::parse(invite()).unwrap()), source(), Peer::udp(source()), 1);
    let busy = b"SIP/2.0 486 Busy Here\r\nContent-Length: 0\r\n\r\n";
    let (resp, rest_of_block) = in_block(busy);
    let mut sent = Sent::default();
    txn.respond(&mut sh.ctx(&mut sent), 0, 486, resp.clone());
    sent.0.clear();
    drop(rest_of_block);
    assert!(resp.is_unique(), "the kept 486 is a copy of its own");
    assert!(txn.on_retransmit(&mut sh.ctx(&mut sent)));
    assert_eq!(sent.0, vec![Bytes::from_static(busy)]);
    let request_bytes = txn.heap_bytes() - busy.len();
    txn.on_ack(&mut sh.ctx(&mut sent), 0);
    assert_eq!(txn.heap_bytes(), request_bytes, "Confirmed keeps no response");
}

#[test]
fn the_table_slot_of_an_invite_transaction_holds_no_message_inline() {
    // A lingering INVITE transaction's slot is its whole cost besides key
    // and timer: the request lives in a box that goes back at the 2xx.
    let slot = std::mem::size_of::<InviteServerTxn>();
    assert!(slot < std::mem::size_of::<Message>(), "{slot} bytes");
    assert!(slot <= 256, "{slot} bytes");
}

fn response(code: &str, method: &str) -> Message {
    Message::parse(Bytes::from(format!(
        "SIP/2.0 {code}\r\nVia: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-1\r\nFrom: <sip:c@127.0.0.1>;tag=1\r\n\
         To: <sip:s@127.0.0.1>;tag=2\r\nCall-ID: linger@h\r\nCSeq: 1 {method}\r\nContent-Length: 0\r\n\r\n"
    )))
    .unwrap()
}

#[test]
fn an_invite_client_transaction_lets_its_invite_go_at_the_2xx() {
    let mut sh = Shard::new();
    let raw = invite();
    let mut sent = Sent::default();
    let to = Peer::udp(source());
    let mut txn = InviteClientTxn::start(&mut sh.ctx(&mut sent), 0, 1, to, raw.clone());
    assert_eq!(sent.0, vec![raw.clone()]);
    // Timer A still resends the INVITE as sent while no answer came.
    txn.on_timer(&mut sh.ctx(&mut sent), 0, TxnTimer::A);
    assert_eq!(sent.0.len(), 2);
    assert_eq!(sent.0[1], raw);
    sent.0.clear();
    let mut writer = Writer::new();
    let outcome = txn.on_response(&mut sh.ctx(&mut sent), 0, &response("200 OK", "INVITE"), &mut writer);
    assert_eq!(outcome, Some(ClientOutcome::Final(200)));
    assert_eq!(txn.state, IctState::Accepted);
    assert!(txn.request.is_empty());
    // Nobody but this test holds the INVITE's bytes while Timer M runs.
    assert!(raw.is_unique());
    // A 2xx retransmission still reaches the call, which ACKs it.
    let again = txn.on_response(&mut sh.ctx(&mut sent), 0, &response("200 OK", "INVITE"), &mut writer);
    assert_eq!(again, Some(ClientOutcome::Final(200)));
}

#[test]
fn a_rejected_invite_is_acked_from_the_invite_as_sent_then_let_go() {
    let mut sh = Shard::new();
    let raw = invite();
    let mut sent = Sent::default();
    let to = Peer::udp(source());
    let mut txn = InviteClientTxn::start(&mut sh.ctx(&mut sent), 0, 1, to, raw.clone());
    sent.0.clear();
    let mut writer = Writer::new();
    let busy = response("486 Busy Here", "INVITE");
    txn.on_response(&mut sh.ctx(&mut sent), 0, &busy, &mut writer);
    assert_eq!(txn.state, IctState::Completed);
    let ack = Message::parse(sent.0[0].clone()).unwrap();
    assert_eq!(ack.method(), Method::Ack);
    assert_eq!(ack.via().unwrap().branch(), Some("z9hG4bK-1"));
    assert!(txn.request.is_empty());
    sent.0.clear();
    // A retransmitted 486 gets the same ACK again.
    txn.on_response(&mut sh.ctx(&mut sent), 0, &busy, &mut writer);
    assert_eq!(sent.0.len(), 1);
    assert!(sent.0[0].starts_with(b"ACK "));
    drop(sent);
    assert!(raw.is_unique());
}

#[test]
fn a_non_invite_client_transaction_lets_its_request_go_at_the_final() {
    let mut sh = Shard::new();
    let bye = Bytes::from_static(b"BYE sip:s@127.0.0.1 SIP/2.0\r\nContent-Length: 0\r\n\r\n");
    let raw = Bytes::copy_from_slice(&bye);
    let mut sent = Sent::default();
    let to = Peer::udp(source());
    let mut txn = NonInviteClientTxn::start(&mut sh.ctx(&mut sent), 0, 1, to, Method::Bye, raw.clone());
    txn.on_timer(&mut sh.ctx(&mut sent), 0, TxnTimer::E);
    assert_eq!(sent.0, vec![raw.clone(), raw.clone()], "Timer E resends the BYE before a final");
    let outcome = txn.on_response(&mut sh.ctx(&mut sent), 0, 200);
    assert_eq!(outcome, Some(ClientOutcome::Final(200)));
    assert_eq!(txn.state, NictState::Completed);
    drop(sent);
    // Timer K only absorbs responses: the BYE's bytes are gone.
    assert!(raw.is_unique());
}
