//! What a lingering server transaction keeps (64·T1 after a call, to
//! absorb retransmissions): only its own bytes. An INVITE transaction
//! that sent a 2xx keeps neither the request nor the 2xx; a non-INVITE
//! transaction keeps a copy of its final response over UDP, apart from the
//! output block it was written into (`KeptResponses`), and nothing over a
//! stream; a non-2xx final to an INVITE is kept until the ACK only.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use sipbench::sip::{Message, Transport};
use sipbench::timer::TimerWheel;
use sipbench::txn::{
    ConnId, InviteServerTxn, KeptResponses, MessageKind, NistState, NonInviteServerTxn, Peer, RequestBoxes,
    TimerConfig, TxnCtx, TxnOutput, TxnTimerRef,
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
