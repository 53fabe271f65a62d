//! Per-source limits (issue: robustness): a token bucket per source
//! address for new INVITEs and out-of-dialog requests, off by default;
//! over the limit a request gets 503 with Retry-After or is dropped, and
//! is counted. In-dialog traffic and other sources are never affected.

mod common;

use common::*;
use sipbench::core::{
    CommandError, CoreConfig, LimitAction, MediaCommand, OutgoingCall, RtpPortSource, SharedLimits,
    SourceLimit,
};

fn limited(rate: u32, burst: u32, action: LimitAction) -> Harness {
    Harness::new(CoreConfig {
        source_limit: Some(SourceLimit { rate, burst, action }),
        ..CoreConfig::default()
    })
}

fn statuses(out: &[sipbench::sip::Message]) -> Vec<u16> {
    out.iter().filter_map(|m| m.status_code()).collect()
}

#[test]
fn over_the_limit_new_calls_get_503_and_in_dialog_traffic_flows() {
    let mut h = limited(2, 3, LimitAction::Reject);
    let mut calls: Vec<UacCall> = (0..9).map(UacCall::new).collect();
    // A burst of five from one source: three fit the bucket.
    for c in calls.iter_mut().take(3) {
        let out = h.send(c.invite());
        assert_eq!(statuses(&out), [200], "within the burst");
        c.learn_tag(&out[0]);
    }
    for c in &calls[3..5] {
        let out = h.send(c.invite());
        let resp = only(&out, "503 INVITE");
        assert_eq!(hdr(resp, "Retry-After"), Some("1"));
        assert!(resp.reason().contains("Source"), "reason names the cause: {}", resp.reason());
    }
    assert_eq!((h.core.stats().source_limited, h.core.stats().calls_received), (2, 3));
    // A retransmission is answered by its transaction, not counted again.
    assert_eq!(statuses(&h.send(calls[3].invite())), [503]);
    assert_eq!(h.core.stats().source_limited, 2);
    assert!(h.send(calls[3].ack_non2xx()).is_empty());
    // Out-of-dialog OPTIONS from the same source is limited too.
    assert_eq!(statuses(&h.send(calls[8].request("OPTIONS", "z9hG4bK-o1", 1, "", None))), [503]);
    // Another source has its own bucket.
    assert_eq!(statuses(&h.send_from("127.0.0.2:5061".parse().unwrap(), calls[5].invite())), [200]);
    // In-dialog requests of admitted calls flow with the bucket empty.
    let ack = calls[0].ack_2xx(1);
    assert!(h.send(ack).is_empty());
    assert_eq!(statuses(&h.send(calls[0].in_dialog("BYE", None))), [200]);
    // A second later two more tokens: two calls in, the third refused.
    h.advance(ms(1_000));
    assert_eq!(statuses(&h.send(calls[6].invite())), [200]);
    assert_eq!(statuses(&h.send(calls[7].invite())), [200]);
    assert_eq!(statuses(&h.send(UacCall::new(20).invite())), [503]);
    assert_eq!(h.core.stats().source_limited, 4);
    // Unacknowledged answers time out and their BYEs time out in turn.
    h.advance(ms(40_000));
    h.drain();
}

#[test]
fn drop_action_sends_nothing_and_counts() {
    let mut h = limited(1, 1, LimitAction::Drop);
    assert_eq!(statuses(&h.send(UacCall::new(0).invite())), [200]);
    let late = UacCall::new(1);
    assert!(h.send(late.invite()).is_empty(), "dropped, not answered");
    assert_eq!(h.core.stats().source_limited, 1);
    // Its retransmission a second later finds a token again.
    h.advance(ms(1_000));
    assert_eq!(statuses(&h.send(late.invite())), [200]);
    // Unacknowledged answers time out and their BYEs time out in turn.
    h.advance(ms(40_000));
    h.drain();
}

#[test]
fn no_limit_by_default() {
    let mut h = Harness::new(CoreConfig::default());
    for i in 0..50 {
        assert_eq!(statuses(&h.send(UacCall::new(i).invite())), [200]);
    }
    assert_eq!(h.core.stats().source_limited, 0);
    // Unacknowledged answers time out and their BYEs time out in turn.
    h.advance(ms(40_000));
    h.drain();
}

/// At the transaction limit new out-of-dialog requests get a stateless
/// 503 (no transaction made for it); requests of existing calls pass.
#[test]
fn transaction_limit_refuses_new_work_statelessly() {
    let mut h = Harness::new(CoreConfig { max_transactions: 3, ..CoreConfig::default() });
    let mut call = UacCall::new(0);
    let out = h.send(call.invite());
    call.learn_tag(&out[0]);
    assert!(h.send(call.ack_2xx(1)).is_empty());
    for i in 1..3 {
        let options = UacCall::new(i).request("OPTIONS", &format!("z9hG4bK-o{i}"), 1, "", None);
        assert_eq!(statuses(&h.send(options)), [200]);
    }
    assert_eq!(h.core.table_sizes().server_txns, 3);
    let refused = h.send(UacCall::new(9).invite());
    let resp = only(&refused, "503 INVITE");
    assert_eq!(hdr(resp, "Retry-After"), Some("5"));
    assert_eq!(h.core.table_sizes().server_txns, 3, "the refusal made no transaction");
    assert_eq!((h.core.stats().txn_limited, h.core.stats().calls_received), (1, 1));
    // The established call still hangs up normally.
    assert_eq!(statuses(&h.send(call.in_dialog("BYE", None))), [200]);
    assert_eq!(h.core.stats().calls_completed, 1);
    h.drain();
}

/// `max_calls_per_source`: a source's live calls are capped (503 naming
/// the cause); a call that ends frees its place; other sources are free.
#[test]
fn calls_per_source_are_capped() {
    let mut h = Harness::new(CoreConfig { max_calls_per_source: Some(2), ..CoreConfig::default() });
    let mut calls: Vec<UacCall> = (0..4).map(UacCall::new).collect();
    for c in calls.iter_mut().take(2) {
        let out = h.send(c.invite());
        assert_eq!(statuses(&out), [200]);
        c.learn_tag(&out[0]);
        let ack = c.ack_2xx(1);
        assert!(h.send(ack).is_empty());
    }
    let out = h.send(calls[2].invite());
    assert!(only(&out, "503 INVITE").reason().contains("Source Call Limit"));
    assert_eq!((h.core.stats().source_limited, h.core.stats().overload_rejected), (1, 0));
    assert_eq!(statuses(&h.send_from("127.0.0.9:5061".parse().unwrap(), calls[3].invite())), [200]);
    // One call ends: the source may start another.
    assert_eq!(statuses(&h.send(calls[0].in_dialog("BYE", None))), [200]);
    assert_eq!(statuses(&h.send(UacCall::new(7).invite())), [200]);
    assert_eq!(statuses(&h.send(calls[1].in_dialog("BYE", None))), [200]);
    h.advance(ms(40_000));
    h.drain();
}

#[test]
fn no_free_rtp_port_gets_503_and_unused_ports_go_back() {
    let mut h = Harness::new(CoreConfig { rtp_ports: RtpPortSource::Stock, ..CoreConfig::default() });
    h.core.stock_rtp_port(40_000);
    let mut a = UacCall::new(1);
    let out = h.send(a.invite());
    assert!(std::str::from_utf8(only(&out, "200 INVITE").body()).unwrap().contains("m=audio 40000 "));
    assert!(matches!(h.media[..], [MediaCommand::Open { local_port: 40_000, .. }]));
    assert_eq!(h.core.rtp_ports_in_stock(), Some(0));
    a.learn_tag(&out[0]);
    assert!(h.send(a.ack_2xx(1)).is_empty());
    let out = h.send(UacCall::new(2).invite());
    let refusal = only(&out, "503 INVITE");
    assert_eq!(refusal.reason(), "Service Unavailable - No RTP Ports");
    assert!(hdr(refusal, "Retry-After").is_some());
    assert_eq!((h.core.stats().media_refused, h.core.stats().calls_received), (1, 1));
    // The call that had media ends: the media layer, not the core, frees
    // its pair (after closing the sockets).
    assert_eq!(statuses(&h.send(a.in_dialog("BYE", None))), [200]);
    assert!(matches!(h.media[..], [_, MediaCommand::Close { local_port: 40_000, .. }]));
    assert_eq!(h.core.rtp_ports_in_stock(), Some(0), "a closed stream's pair is not the core's to reuse");
    h.core.stock_rtp_port(40_000);
    // Offers that fail take a port and give it straight back.
    let g729 = sdp(&[(18, "G729/8000")], None);
    let out = h.send(UacCall::new(3).invite_with("", Some(("application/sdp", &g729))));
    assert_eq!(statuses(&out), [488]);
    assert_eq!(h.core.rtp_ports_in_stock(), Some(1));
    let mut b = UacCall::new(4);
    let out = h.send(b.invite());
    assert!(std::str::from_utf8(only(&out, "200 INVITE").body()).unwrap().contains("m=audio 40000 "));
    b.learn_tag(&out[0]);
    h.send(b.ack_2xx(1));
    assert_eq!(statuses(&h.send(b.in_dialog("BYE", None))), [200]);
    h.advance(ms(40_000));
    h.drain();
}

/// Two shards' cores sharing one engine's limits.
fn shared_pair(max_calls: usize, max_transactions: usize) -> [Harness; 2] {
    let shared = SharedLimits::new(max_calls, max_transactions, 2);
    [0, 1].map(|shard| {
        Harness::new(CoreConfig {
            shard,
            shards: 2,
            max_calls,
            max_transactions,
            shared_limits: Some(shared.clone()),
            ..CoreConfig::default()
        })
    })
}

/// Issue 26, item 6: the call limit counts the calls of every shard. With
/// 1 over two shards exactly one call is up at a time, whichever shard the
/// Call-ID picks; with 3, three calls that all land on one shard are all
/// admitted (a per-shard split would refuse the second); a call that ends
/// frees its slot for a call on the other shard.
#[test]
fn the_call_limit_counts_over_all_shards() {
    let [mut a, mut b] = shared_pair(1, 1000);
    let mut first = UacCall::new(1);
    let out = a.send(first.invite());
    first.learn_tag(only(&out, "200 INVITE"));
    assert!(a.send(first.ack_2xx(1)).is_empty());
    let refused = b.send(UacCall::new(2).invite());
    assert!(only(&refused, "503 INVITE").reason().contains("Call Limit"));
    assert_eq!(statuses(&a.send(UacCall::new(3).invite())), [503]);
    assert_eq!(statuses(&a.send(first.in_dialog("BYE", None))), [200]);
    assert_eq!(statuses(&b.send(UacCall::new(4).invite())), [200], "the freed slot serves the other shard");
    assert_eq!(b.core.stats().overload_rejected + a.core.stats().overload_rejected, 2);

    let [mut a, mut b] = shared_pair(3, 1000);
    for i in 0..3 {
        assert_eq!(statuses(&b.send(UacCall::new(10 + i).invite())), [200], "call {i} on one shard");
    }
    assert_eq!(statuses(&a.send(UacCall::new(20).invite())), [503], "three are up");
    // Calls we place count against the same limit.
    let target = "sip:x@127.0.0.1:5070";
    let place = sipbench::core::Command::Place(std::sync::Arc::new(OutgoingCall::new(target)));
    let refused = a.core.on_command(a.now, place, &mut a.out);
    assert!(matches!(refused, Err(CommandError::Overloaded)), "{refused:?}");
}

/// The transaction limit counts every shard's server transactions, those
/// of existing calls included (which are never refused).
#[test]
fn the_transaction_limit_counts_over_all_shards() {
    let [mut a, mut b] = shared_pair(100, 2);
    for i in 0..2 {
        let options = UacCall::new(i).request("OPTIONS", &format!("z9hG4bK-t{i}"), 1, "", None);
        assert_eq!(statuses(&a.send(options)), [200]);
    }
    let options = UacCall::new(5).request("OPTIONS", "z9hG4bK-t5", 1, "", None);
    assert!(only(&b.send(options), "503 OPTIONS").reason().contains("Transaction Limit"));
    // The first two end (Timer J): room again on the other shard.
    a.advance(ms(40_000));
    let options = UacCall::new(6).request("OPTIONS", "z9hG4bK-t6", 1, "", None);
    assert_eq!(statuses(&b.send(options)), [200]);
}
