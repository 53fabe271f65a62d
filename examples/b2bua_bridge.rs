//! Bridge pairs of calls: each answered call waits for the next one, the
//! two are cross-connected (what one caller sends, the other hears), and
//! when either hangs up the engine ends the other. The media half of a
//! B2BUA.
//!
//!   cargo run --release --example b2bua_bridge -- 127.0.0.1:5060 60 30000-30999
//!
//! The third argument is the RTP port range (default 30000-30999).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use sipbench::{
    CallHandle, CallHandler, Config, Decision, Engine, EventKind, IncomingCall, MediaConfig, MediaMode,
};

#[derive(Clone)]
struct AnswerAll;

impl CallHandler for AnswerAll {
    fn on_incoming(&mut self, _call: &IncomingCall<'_>) -> Decision {
        Decision::accept()
    }
}

fn main() -> sipbench::Result<()> {
    let mut args = std::env::args().skip(1);
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:5060".into()).parse().expect("listen address");
    let seconds: u64 = args.next().map_or(60, |s| s.parse().expect("seconds"));
    let ports = args.next().unwrap_or_else(|| "30000-30999".into());
    let ports = ports.split_once('-').map(|(a, b)| (a.parse().expect("port"), b.parse().expect("port")));
    // Sink until bridged: a lone caller hears nothing, not itself.
    let media =
        MediaConfig { mode: MediaMode::Sink, ports: ports.expect("ports A-B"), ..MediaConfig::default() };
    let engine = Engine::start(Config::builder().listen(listen).media(media).build()?, AnswerAll)?;
    println!("b2bua_bridge on {} for {seconds} s", engine.local_addr());
    let (events, control) = (engine.events(), engine.control());
    let mut waiting: Option<CallHandle> = None;
    let mut partner: HashMap<CallHandle, CallHandle> = HashMap::new();
    let until = Instant::now() + Duration::from_secs(seconds);
    while let Ok(e) = events.recv_deadline(until) {
        match e.kind {
            EventKind::Established => match waiting.take() {
                Some(other) if control.bridge_calls(other, e.call).wait().is_ok() => {
                    println!("bridged {other} <-> {}", e.call);
                    partner.insert(other, e.call);
                    partner.insert(e.call, other);
                }
                // The waiting call ended meanwhile: this one waits instead.
                _ => waiting = Some(e.call),
            },
            EventKind::Terminated { reason, media, .. } => {
                if waiting == Some(e.call) {
                    waiting = None;
                }
                let heard = media.map_or(0, |m| m.packets_in);
                println!("{} ended ({reason:?}), {heard} RTP packets in", e.call);
                if let Some(other) = partner.remove(&e.call) {
                    partner.remove(&other);
                    // Fire and forget: the partner may be ending by itself.
                    drop(control.end_call(other));
                }
            }
            _ => {}
        }
    }
    engine.shutdown(Duration::from_secs(5));
    Ok(())
}
