//! Async answer on tokio: the handler defers every call; a task per call
//! looks the caller up asynchronously (a timer stands in for a database
//! or HTTP request), then answers or rejects it with `.await`. The event
//! stream is read as a `futures` Stream. Runs for `SECONDS` (default 60)
//! and prints what it decided. Needs the `async` feature:
//!
//!   cargo run --release --features async --example async_answer -- 127.0.0.1:5060 60
//!   sipp -sn uac 127.0.0.1:5060 -r 50 -m 500

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use sipbench::{CallControl, CallHandle, CallHandler, Config, Decision, Engine, EventKind, IncomingCall};

#[derive(Clone)]
struct DeferAll;

impl CallHandler for DeferAll {
    fn on_incoming(&mut self, _call: &IncomingCall<'_>) -> Decision {
        Decision::defer()
    }
}

#[derive(Default)]
struct Tally {
    answered: AtomicU64,
    rejected: AtomicU64,
}

/// Looks the caller up (even digit sums of the Call-ID are known callers)
/// and answers or rejects the call.
async fn decide(control: CallControl, call: CallHandle, call_id: String, tally: Arc<Tally>) {
    let digits: u64 = call_id.bytes().filter(u8::is_ascii_digit).map(|d| u64::from(d - b'0')).sum();
    tokio::time::sleep(Duration::from_millis(digits % 200)).await;
    let (known, outcome) = if digits.is_multiple_of(2) {
        (true, control.accept_call(call).await)
    } else {
        (false, control.reject_call(call, 404).await)
    };
    match outcome {
        Ok(()) if known => tally.answered.fetch_add(1, Ordering::Relaxed),
        Ok(()) => tally.rejected.fetch_add(1, Ordering::Relaxed),
        // The caller may have hung up meanwhile: a typed error, not a panic.
        Err(e) => {
            eprintln!("call {call}: {e}");
            0
        }
    };
}

#[tokio::main]
async fn main() -> sipbench::Result<()> {
    let mut args = std::env::args().skip(1);
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:5060".into()).parse().expect("listen address");
    let seconds: u64 = args.next().map_or(60, |s| s.parse().expect("seconds"));
    let engine = Engine::start(Config::builder().listen(listen).build()?, DeferAll)?;
    println!("async_answer on {} for {seconds} s", engine.local_addr());
    let (mut events, control, tally) = (engine.events(), engine.control(), Arc::new(Tally::default()));
    let run = async {
        while let Some(e) = events.next().await {
            if e.kind == EventKind::Incoming {
                let call_id = e.info.call_id.clone();
                tokio::spawn(decide(control.clone(), e.call, call_id, tally.clone()));
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(seconds), run).await;
    // Shutdown joins the engine's threads: off the async workers.
    let end =
        tokio::task::spawn_blocking(move || engine.shutdown(Duration::from_secs(5))).await.expect("shutdown");
    let (answered, rejected) =
        (tally.answered.load(Ordering::Relaxed), tally.rejected.load(Ordering::Relaxed));
    println!("answered {answered}, rejected {rejected}, completed {}", end.total.core.calls_completed);
    Ok(())
}
