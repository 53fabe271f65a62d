//! Behind a load balancer (issue 31): OPTIONS tells "busy" from "going
//! away". Shedding new calls (the call limit) leaves OPTIONS at 200; a
//! drain answers OPTIONS with 503 and new INVITEs with 503 + Retry-After,
//! while the calls up go on to a normal end.

mod common;

use common::*;
use sipbench::core::CoreConfig;

fn statuses(out: &[sipbench::sip::Message]) -> Vec<u16> {
    out.iter().filter_map(|m| m.status_code()).collect()
}

fn options(i: u64) -> bytes::Bytes {
    UacCall::new(i).request("OPTIONS", &format!("z9hG4bK-opt{i}"), 1, "", None)
}

#[test]
fn shedding_invites_at_the_call_limit_leaves_options_at_200() {
    let mut h = Harness::new(CoreConfig { max_calls: 1, ..CoreConfig::default() });
    let mut up = UacCall::new(0);
    let out = h.send(up.invite());
    assert_eq!(statuses(&out), [200]);
    up.learn_tag(&out[0]);
    let shed = h.send(UacCall::new(1).invite());
    let resp = only(&shed, "503 INVITE");
    assert!(hdr(resp, "Retry-After").is_some(), "busy: come back later");
    assert_eq!(statuses(&h.send(options(2))), [200], "busy is not down");
    assert!(h.send(up.ack_2xx(1)).is_empty());
    assert_eq!(statuses(&h.send(up.in_dialog("BYE", None))), [200]);
    h.drain();
}

#[test]
fn a_drain_refuses_new_calls_and_options_and_lets_the_calls_up_end() {
    let mut h = Harness::new(CoreConfig::default());
    let mut up = UacCall::new(0);
    let out = h.send(up.invite());
    assert_eq!(statuses(&out), [200]);
    up.learn_tag(&out[0]);
    assert_eq!(statuses(&h.send(options(1))), [200], "before the drain");
    h.core.drain();
    let opt = h.send(options(2));
    let resp = only(&opt, "503 OPTIONS");
    assert!(resp.reason().contains("Shutting Down"), "{}", resp.reason());
    let refused = h.send(UacCall::new(3).invite());
    let resp = only(&refused, "503 INVITE");
    assert_eq!(hdr(resp, "Retry-After"), Some("5"), "a proxy retries it elsewhere");
    // The call up is untouched: no BYE from us, its own requests served.
    assert!(h.send(up.ack_2xx(1)).is_empty());
    assert_eq!(statuses(&h.send(up.in_dialog("OPTIONS", None))), [200], "in-dialog OPTIONS is the call's");
    assert_eq!(statuses(&h.send(up.in_dialog("BYE", None))), [200]);
    let s = h.core.stats();
    assert_eq!((s.calls_received, s.calls_completed, s.calls_failed()), (1, 1, 0));
    h.drain();
}
