//! Commands through `ShardCore::on_command`, sans-IO: a rejection with the
//! application's reason phrase (checked before it reaches the wire) and
//! bridging two calls, whose first half the shard of one call forwards to
//! the shard of the other.

mod common;

use std::time::Duration;

use common::{Harness, UacCall, only};
use sipbench::core::{Applied, CallHandle, Command, CommandError, CoreConfig, MediaCommand, RtpPortSource};
use sipbench::dialog::{CallPolicy, EndReason};
use sipbench::sip::Message;

/// An answered and ACKed call; its handle.
fn established(h: &mut Harness, i: u64) -> CallHandle {
    let mut uac = UacCall::new(i);
    let out = h.send(uac.invite());
    uac.learn_tag(only(&out, "200 INVITE"));
    let handle = *h.handles.last().unwrap();
    h.send(uac.ack_2xx(1));
    handle
}

#[test]
fn reject_carries_the_applications_reason_phrase() {
    let ringing = CallPolicy {
        ring: Duration::from_millis(1),
        answer: Duration::from_secs(10),
        ..CallPolicy::default()
    };
    let mut h = Harness::with_policy(ringing);
    h.send(UacCall::new(1).invite());
    let call = h.handles[0];
    let bad = Command::Reject { call, code: 486, reason: Some("Busy\r\nX-Injected: 1".into()) };
    assert!(matches!(h.command(bad), Err(CommandError::BadArgument(_))));
    assert!(h.out.transmits.is_empty(), "nothing went out");
    let reject = Command::Reject { call, code: 486, reason: Some("Busy Here - Try Later".into()) };
    let out = h.command(reject).unwrap();
    let busy: &Message = only(&out, "486 INVITE");
    assert_eq!(busy.reason(), "Busy Here - Try Later");
    assert!(h.take_events().contains(&sipbench::core::EventKind::Terminated {
        reason: EndReason::Rejected(486),
        duration: Duration::ZERO,
        media: None
    }));
    h.drain();
}

#[test]
fn bridging_is_forwarded_to_the_second_calls_shard_and_needs_media() {
    // Without a media layer (ports only named) there is nothing to bridge.
    let mut h = Harness::new(CoreConfig::default());
    let (a, b) = (established(&mut h, 1), established(&mut h, 2));
    assert_eq!(h.core.on_command(h.now, Command::Bridge { a, b }, &mut h.out), Err(CommandError::NoMedia));

    let mut h = Harness::new(CoreConfig { rtp_ports: RtpPortSource::Stock, ..CoreConfig::default() });
    for port in [40_002, 40_000] {
        h.core.stock_rtp_port(port);
    }
    let (a, b) = (established(&mut h, 1), established(&mut h, 2));
    let half = h.core.on_command(h.now, Command::Bridge { a, b }, &mut h.out);
    let Ok(Applied::Forward { shard: 0, command }) = half else { panic!("{half:?}") };
    assert_eq!(command, Command::BridgeTo { b, port_a: 40_000 });
    h.command(command).unwrap();
    assert_eq!(
        h.media.last(),
        Some(&MediaCommand::Bridge { call: b, local_port: 40_002, other_port: 40_000 })
    );
    let same = Command::BridgeTo { b: a, port_a: 40_000 };
    assert_eq!(h.core.on_command(h.now, same, &mut h.out), Err(CommandError::SameCall));
    let gone = CallHandle::new(0, 999, 1);
    let half = h.core.on_command(h.now, Command::Bridge { a, b: gone }, &mut h.out);
    let Ok(Applied::Forward { command, .. }) = half else { panic!("{half:?}") };
    assert_eq!(h.core.on_command(h.now, command, &mut h.out), Err(CommandError::UnknownCall));
    for call in [a, b] {
        h.command(Command::Hangup(call)).unwrap();
    }
}
