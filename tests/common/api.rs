//! Helpers for the engine API tests: a handler that decides by the
//! Request-URI, a two-shard loopback config, and waiting for events.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use crossbeam::channel::Receiver;
use sipbench::{
    CallHandle, CallHandler, Config, ConfigBuilder, Decision, Engine, Event, EventKind, IncomingCall,
    IncomingRequest, MediaConfig, MediaMode,
};

use super::udp_uac::UdpUac;

pub const WAIT: Duration = Duration::from_secs(5);

/// Decides by the Request-URI's user part.
#[derive(Clone)]
pub struct ByUser;

impl CallHandler for ByUser {
    fn on_incoming(&mut self, call: &IncomingCall<'_>) -> Decision {
        let uri = call.request.request_uri();
        if uri.contains("defer@") {
            Decision::Defer
        } else if uri.contains("reject@") {
            Decision::Reject { code: 486, reason: Some("Gone Fishing".into()) }
        } else if uri.contains("redirect@") {
            Decision::redirect("sip:elsewhere@127.0.0.1:5099")
        } else {
            Decision::accept()
        }
    }

    fn on_options(&mut self, request: &IncomingRequest<'_>) -> u16 {
        if request.request_uri().contains("forbidden@") { 403 } else { 200 }
    }
}

pub fn builder() -> ConfigBuilder {
    Config::builder().listen("127.0.0.1:0".parse().unwrap()).shards(2).pin(false)
}

pub fn media(first_port: u16, mode: MediaMode) -> MediaConfig {
    MediaConfig { threads: 2, mode, ports: (first_port, first_port + 99), ..MediaConfig::default() }
}

pub fn start(b: ConfigBuilder) -> Engine {
    Engine::start(b.build().unwrap(), ByUser).unwrap()
}

/// The next event matching `pred` (others are skipped).
pub fn wait_for(rx: &Receiver<Event>, what: &str, pred: impl Fn(&Event) -> bool) -> Event {
    let until = Instant::now() + WAIT;
    while let Ok(e) = rx.recv_deadline(until) {
        if pred(&e) {
            return e;
        }
    }
    panic!("no {what} event within {WAIT:?}");
}

/// The id of `uac`'s call, from its Incoming event.
pub fn incoming(rx: &Receiver<Event>, uac: &UdpUac) -> CallHandle {
    let cid = uac.call_id.clone();
    wait_for(rx, "Incoming", |e| matches!(&e.kind, EventKind::Incoming { call_id, .. } if *call_id == cid))
        .call
}

pub fn ended(rx: &Receiver<Event>, id: CallHandle) -> EventKind {
    wait_for(rx, "Terminated", |e| e.call == id && matches!(e.kind, EventKind::Terminated { .. })).kind
}
