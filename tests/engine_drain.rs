//! `Engine::drain` on real loopback sockets, two shards (issue 31): from
//! the drain on, new INVITEs get 503 with Retry-After and out-of-dialog
//! OPTIONS 503 on every shard, while the calls up go on untouched (no BYE
//! from us) and end by the caller's BYE as usual; the shutdown after it
//! has nothing left to end.

mod common;

use std::time::Duration;

use common::api::*;
use common::udp_uac::UdpUac;
use sipbench::sip::HeaderName;
use sipbench::{EndReason, EventKind};

const LIMIT: Duration = Duration::from_secs(5);

#[test]
fn a_drained_engine_refuses_new_work_and_lets_its_calls_end() {
    let engine = start(builder());
    let events = engine.events();
    // Four calls: by Call-ID they land on both shards.
    let mut up: Vec<UdpUac> = (0..4).map(|_| UdpUac::new(engine.local_addr(), "answer")).collect();
    let mut handles = Vec::new();
    for uac in &mut up {
        uac.call_answered(LIMIT);
        handles.push(incoming(&events, uac));
    }
    // Each probe a fresh caller: a To tag learnt from an answer would
    // make the next OPTIONS an in-dialog one.
    let options = || {
        let mut probe = UdpUac::new(engine.local_addr(), "answer");
        probe.out_of_dialog("OPTIONS");
        probe.recv(LIMIT).and_then(|m| m.status_code()).expect("an answer to OPTIONS")
    };
    assert_eq!(options(), 200);

    engine.drain();
    // The shards take the drain on their next loop: the first probe may
    // still see 200.
    let mut refused = false;
    for _ in 0..50 {
        if options() == 503 {
            refused = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(refused, "OPTIONS answered 503 once draining");
    for _ in 0..8 {
        let mut late = UdpUac::new(engine.local_addr(), "answer");
        late.invite();
        let resp = late.expect_status(503, LIMIT);
        assert!(resp.header(HeaderName::RetryAfter).is_some(), "busy elsewhere, come back later: {resp:?}");
        late.in_dialog("ACK");
    }
    // The calls up hear nothing from us for a while, then end by their BYE.
    for uac in &mut up {
        assert!(uac.recv(Duration::from_millis(300)).is_none(), "no BYE from a draining engine");
        uac.in_dialog("BYE");
        uac.expect_status(200, LIMIT);
    }
    for h in handles {
        let kind = ended(&events, h);
        assert!(matches!(kind, EventKind::Terminated { reason: EndReason::RemoteBye, .. }), "{kind:?}");
    }
    let end = engine.shutdown(Duration::from_secs(1));
    let c = &end.total.core;
    assert_eq!((c.calls_received, c.calls_completed, c.calls_failed()), (4, 4, 0));
    assert!(c.overload_rejected >= 8, "the refusals are counted: {}", c.overload_rejected);
}
