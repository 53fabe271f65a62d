//! The `async` feature: the event stream as a `futures` Stream and
//! command outcomes as futures, on tokio and on a bare executor of a few
//! lines (no runtime is assumed), ending when the engine stops.

mod common;

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use common::api::{WAIT, builder, start};
use common::udp_uac::UdpUac;
use futures_util::StreamExt;
use sipbench::{CommandError, EndReason, Error, Event, EventKind, Events, OutgoingCall};

/// The next event matching `pred`, awaited.
async fn next_matching(events: &mut Events, pred: impl Fn(&Event) -> bool) -> Event {
    let wait = async {
        while let Some(e) = events.next().await {
            if pred(&e) {
                return e;
            }
        }
        panic!("the stream ended");
    };
    tokio::time::timeout(WAIT, wait).await.expect("an event in time")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_stream_and_commands_are_awaited() {
    let engine = start(builder());
    let (mut events, control, addr) = (engine.events(), engine.control(), engine.local_addr());
    let caller = tokio::task::spawn_blocking(move || {
        let mut uac = UdpUac::new(addr, "defer");
        uac.invite();
        uac.expect_status(200, WAIT);
        uac.in_dialog("ACK");
        let bye = uac.expect_request("BYE", WAIT);
        uac.reply(&bye, 200, None);
    });
    let incoming = next_matching(&mut events, |e| e.kind == EventKind::Incoming).await;
    let id = incoming.call;
    // Refusals come back at once; the answer once the shard applied it.
    assert!(matches!(control.reject_call(id, 200).await, Err(Error::Command(CommandError::BadStatus(200)))));
    control.accept_call(id).await.unwrap();
    next_matching(&mut events, |e| e.call == id && e.kind == EventKind::Established).await;
    control.end_call(id).await.unwrap();
    let end =
        next_matching(&mut events, |e| e.call == id && matches!(e.kind, EventKind::Terminated { .. })).await;
    assert!(matches!(end.kind, EventKind::Terminated { reason: EndReason::LocalBye, .. }));
    caller.await.unwrap();
    let placed = control.place_call(OutgoingCall::new("sip:bob@example.com")).await;
    assert!(matches!(placed, Err(Error::Command(CommandError::BadArgument(_)))));
    // A reader waiting on an empty stream is woken when the engine stops:
    // the stream ends.
    let reader = tokio::spawn(async move { events.next().await.map(|e| e.kind) });
    tokio::time::sleep(Duration::from_millis(100)).await;
    tokio::task::spawn_blocking(move || engine.shutdown(WAIT)).await.unwrap();
    let last = tokio::time::timeout(WAIT, reader).await.expect("woken by the stop").unwrap();
    assert_eq!(last, None);
    let late = control.accept_call(id).await.unwrap_err();
    assert!(matches!(late, Error::Command(CommandError::Stopped)), "{late}");
}

/// Runs a future to completion on this thread, parking between polls:
/// the engine's futures need nothing more.
fn block_on<F: Future>(f: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        match f.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return v,
            Poll::Pending => std::thread::park(),
        }
    }
}

#[test]
fn no_async_runtime_is_needed() {
    let engine = start(builder());
    let (mut events, control) = (engine.events(), engine.control());
    let mut uac = UdpUac::new(engine.local_addr(), "plain");
    uac.call_answered(WAIT);
    let first = block_on(events.next()).expect("an event");
    assert_eq!(first.kind, EventKind::Incoming);
    let e = block_on(control.hold_call(sipbench::CallHandle::new(0, 999, 1))).unwrap_err();
    assert!(matches!(e, Error::Command(CommandError::UnknownCall)), "{e}");
    drop(engine);
    while block_on(events.next()).is_some() {}
}
