//! Deferred answer: the handler defers every call; a lookup thread decides
//! (a slow directory: even-numbered callers are known and get answered,
//! others get 404), and calls whose lookup takes too long get 480.
//!
//!   cargo run --release --example deferred_answer -- 127.0.0.1:5060 60

use std::sync::mpsc::{RecvTimeoutError, sync_channel};
use std::time::{Duration, Instant};

use sipbench::{CallHandler, Config, Decision, Engine, EventKind, IncomingCall};

/// The lookup's budget: past it, the caller is told to try later.
const LOOKUP_BUDGET: Duration = Duration::from_millis(300);

#[derive(Clone)]
struct DeferAll;

impl CallHandler for DeferAll {
    fn on_incoming(&mut self, _call: &IncomingCall<'_>) -> Decision {
        Decision::defer()
    }
}

/// A directory lookup that takes a while: true when the caller is known.
fn lookup(call_id: &str) -> bool {
    let digits: u64 = call_id.bytes().filter(u8::is_ascii_digit).map(|d| u64::from(d - b'0')).sum();
    std::thread::sleep(Duration::from_millis(digits % 500));
    digits.is_multiple_of(2)
}

fn main() -> sipbench::Result<()> {
    let mut args = std::env::args().skip(1);
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:5060".into()).parse().expect("listen address");
    let seconds: u64 = args.next().map_or(60, |s| s.parse().expect("seconds"));
    let engine = Engine::start(Config::builder().listen(listen).build()?, DeferAll)?;
    println!("deferred_answer on {} for {seconds} s", engine.local_addr());
    let (events, control) = (engine.events(), engine.control());
    let until = Instant::now() + Duration::from_secs(seconds);
    while let Ok(e) = events.recv_deadline(until) {
        if e.kind != EventKind::Incoming {
            continue;
        }
        let (id, control, call_id) = (e.call, control.clone(), e.info.call_id.clone());
        // One thread per pending lookup keeps the example short; a real
        // application would use its own pool or async runtime.
        std::thread::spawn(move || {
            let (tx, rx) = sync_channel(1);
            std::thread::spawn(move || tx.send(lookup(&call_id)));
            let outcome = match rx.recv_timeout(LOOKUP_BUDGET) {
                Ok(true) => control.accept_call(id),
                Ok(false) => control.reject_call(id, 404),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    control.reject_call(id, 480)
                }
            };
            // The caller may have hung up meanwhile: a typed error, not a panic.
            if let Err(err) = outcome.wait() {
                eprintln!("call {id}: {err}");
            }
        });
    }
    let end = engine.shutdown(Duration::from_secs(5));
    println!("answered {}, rejected {}", end.total.core.calls_answered, end.total.core.calls_rejected);
    Ok(())
}
