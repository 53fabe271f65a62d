//! Issue 32: with several shards and one source address (a proxy or SBC
//! in front), the kernel puts each datagram on the socket of its call's
//! shard (eBPF on the SO_REUSEPORT group), so no shard hands datagrams to
//! another; with steering off the same calls are handed off. Real UDP on
//! loopback, Call-IDs chosen to land on each shard.

mod common;

use std::net::UdpSocket;
use std::time::Duration;

use common::api::*;
use common::udp_uac::UdpUac;
use sipbench::core::owner_shard;
use sipbench::transport::{bind_udp_group, steer_by_call_id};

/// Calls from one socket whose Call-IDs hash to each of 2 shards in turn,
/// set up and hung up; returns the datagrams the shards handed off.
fn hand_offs_for_calls_from_one_source(steering: bool) -> u64 {
    let engine = start(builder().kernel_steering(steering));
    let mut uac = UdpUac::new(engine.local_addr(), "steering");
    let base = uac.call_id.clone();
    for i in 0..8 {
        let shard = i % 2;
        // A new call from the same socket: new Call-ID, From tag, dialog.
        uac.call_id = (0..)
            .map(|k| format!("{i}-{k}-{base}"))
            .find(|id| owner_shard(id.as_bytes(), 2) == shard)
            .expect("some suffix hashes there");
        uac.from_tag = format!("steer{i}");
        uac.to_tag = None;
        uac.cseq = 1;
        uac.invite();
        uac.expect_status(200, WAIT);
        uac.in_dialog("ACK");
        uac.in_dialog("BYE");
        uac.expect_status(200, WAIT);
    }
    // The shards publish their counters a few times a second.
    let until = std::time::Instant::now() + WAIT;
    let mut total = engine.stats().total;
    while total.core.calls_completed < 8 && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(20));
        total = engine.stats().total;
    }
    assert_eq!(total.core.calls_completed, 8, "every call completed");
    engine.shutdown(WAIT);
    total.handoffs_out
}

#[test]
fn datagrams_from_one_source_reach_their_shard_without_hand_offs() {
    let hand_offs = hand_offs_for_calls_from_one_source(true);
    if common::may_load_bpf() {
        assert_eq!(hand_offs, 0);
    } else {
        // No steering without the capability: the hand-off carries the
        // other shard's calls, and every call still completes.
        assert!(hand_offs >= 12, "{hand_offs}");
    }
}

#[test]
fn without_steering_the_other_shards_calls_are_handed_off() {
    // One source: the 4-tuple hash puts everything on one shard, which
    // hands the other's INVITE, ACK and BYE over (4 calls × 3).
    assert!(hand_offs_for_calls_from_one_source(false) >= 12);
}

fn request(call_id_header: &str) -> String {
    format!(
        "OPTIONS sip:s@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-1\r\n\
         From: <sip:c@127.0.0.1>;tag=1\r\nTo: <sip:s@127.0.0.1>\r\n{call_id_header}\r\nCSeq: 1 OPTIONS\r\n\
         Content-Length: 0\r\n\r\n"
    )
}

/// Which socket of `group` the datagram lands on.
fn lands_on(group: &[UdpSocket], from: &UdpSocket, datagram: &str) -> usize {
    from.send_to(datagram.as_bytes(), group[0].local_addr().unwrap()).unwrap();
    let mut buf = [0u8; 2048];
    for _ in 0..200 {
        for (i, s) in group.iter().enumerate() {
            if let Ok(n) = s.recv(&mut buf) {
                assert_eq!(&buf[..n], datagram.as_bytes());
                return i;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("the datagram never arrived");
}

#[test]
fn every_datagram_from_one_source_lands_on_its_calls_owner() {
    for shards in [2, 3, 4] {
        let group = bind_udp_group("127.0.0.1:0".parse().unwrap(), shards, 1 << 20).unwrap();
        match steer_by_call_id(&group) {
            Ok(()) => {}
            Err(e) if !common::may_load_bpf() => {
                // Not allowed: refused as such, and the engine hands off.
                assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied, "{e}");
                return;
            }
            Err(e) => panic!("steering refused although this process may load BPF: {e}"),
        }
        let from = UdpSocket::bind("127.0.0.1:0").unwrap();
        for i in 0..40 {
            let id = format!("{i}-steer@127.0.0.1");
            let owner = owner_shard(id.as_bytes(), shards);
            for header in [
                format!("Call-ID: {id}"),
                format!("i:{id}"),
                format!("call-id  :\t{id}  "),
                format!("CALL-ID: {id}\t"),
            ] {
                assert_eq!(lands_on(&group, &from, &request(&header)), owner, "{header}");
            }
        }
    }
}

/// A Call-ID whose value runs past the bytes the program scans is not
/// steered by its cut-off head: the kernel's 4-tuple hash takes every
/// such datagram from one source to one socket, where a hash of the head
/// would spread them.
#[test]
fn a_call_id_cut_by_the_scanned_bytes_falls_back_to_the_kernels_hash() {
    let group = bind_udp_group("127.0.0.1:0".parse().unwrap(), 2, 1 << 20).unwrap();
    if steer_by_call_id(&group).is_err() {
        assert!(!common::may_load_bpf(), "steering refused although this process may load BPF");
        return;
    }
    let from = UdpSocket::bind("127.0.0.1:0").unwrap();
    let tail = "y".repeat(60);
    let landed: Vec<usize> = (0..24)
        .map(|i| {
            let id = format!("{i:02}-{tail}");
            // Pad so the value starts 6 bytes before the scan's end (480).
            let probe = request(&format!("X-Pad: \r\nCall-ID: {id}"));
            let value_at = probe.find("Call-ID: ").unwrap() + "Call-ID: ".len();
            let pad = "p".repeat(474 - value_at);
            lands_on(&group, &from, &request(&format!("X-Pad: {pad}\r\nCall-ID: {id}")))
        })
        .collect();
    assert!(landed.iter().all(|&s| s == landed[0]), "{landed:?}");
}

#[test]
fn a_call_id_past_the_scanned_bytes_is_answered_through_the_hand_off() {
    // A long header before the Call-ID: the kernel cannot read it in the
    // bytes it scans and falls back to the 4-tuple hash (one socket for
    // one source), so the other shard's calls are handed off, and answered.
    let engine = start(builder());
    let server = engine.local_addr();
    let mut uac = UdpUac::new(server, "steering");
    let local = uac.local();
    let pad = "x".repeat(600);
    for i in 0..4 {
        let call_id = (0..)
            .map(|k| format!("far-{i}-{k}-{}", uac.call_id))
            .find(|id| owner_shard(id.as_bytes(), 2) == i % 2)
            .expect("some suffix hashes there");
        let body = uac.sdp("sendrecv");
        uac.send(&format!(
            "INVITE sip:steering@{server} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bK-far-{i}\r\n\
             X-Padding: {pad}\r\nFrom: <sip:caller@{local}>;tag=far{i}\r\nTo: <sip:steering@{server}>\r\n\
             Call-ID: {call_id}\r\nCSeq: 1 INVITE\r\nContact: <sip:caller@{local}>\r\nMax-Forwards: 70\r\n\
             Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
        uac.expect_status(200, WAIT);
    }
    let until = std::time::Instant::now() + WAIT;
    while engine.stats().total.handoffs_out < 2 && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(engine.stats().total.handoffs_out >= 2);
    engine.shutdown(WAIT);
}
