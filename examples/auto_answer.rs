//! Auto-answer: accept 90% of calls, reject 10% with 486 Busy Here, and
//! hang up each accepted call after 30 s. Runs for `SECONDS` (default 60).
//!
//!   cargo run --release --example auto_answer -- 127.0.0.1:5060 60
//!   sipp -sn uac 127.0.0.1:5060 -r 50 -m 500

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sipbench::{Accept, CallHandler, Config, Decision, Engine, EventKind, IncomingCall};

#[derive(Clone, Default)]
struct NinetyTen {
    /// Shared by the shards' clones: every tenth call is rejected.
    calls: Arc<AtomicU64>,
}

impl CallHandler for NinetyTen {
    fn on_incoming(&mut self, _call: &IncomingCall<'_>) -> Decision {
        if self.calls.fetch_add(1, Ordering::Relaxed) % 10 == 9 {
            Decision::busy()
        } else {
            Decision::Accept(Accept::now().hang_up_after(Duration::from_secs(30)))
        }
    }
}

fn main() -> sipbench::Result<()> {
    let mut args = std::env::args().skip(1);
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:5060".into()).parse().expect("listen address");
    let seconds: u64 = args.next().map_or(60, |s| s.parse().expect("seconds"));
    let engine = Engine::start(Config::builder().listen(listen).build()?, NinetyTen::default())?;
    println!("auto_answer on {} for {seconds} s", engine.local_addr());
    let (events, until) = (engine.events(), Instant::now() + Duration::from_secs(seconds));
    let (mut answered, mut rejected) = (0u64, 0u64);
    while let Ok(e) = events.recv_deadline(until) {
        match e.kind {
            EventKind::Answered => answered += 1,
            EventKind::Terminated { reason: sipbench::EndReason::Rejected(486), .. } => rejected += 1,
            _ => {}
        }
    }
    let end = engine.shutdown(Duration::from_secs(5));
    println!("answered {answered}, rejected {rejected}, completed {}", end.total.core.calls_completed);
    Ok(())
}
