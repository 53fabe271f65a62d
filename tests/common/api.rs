//! Helpers for the engine API tests: a handler that decides by the
//! Request-URI, a two-shard loopback config, and waiting for events.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use sipbench::{
    CallHandle, CallHandler, Config, ConfigBuilder, Decision, Engine, Event, EventKind, Events, FinalStatus,
    IncomingCall, IncomingRequest, MediaConfig, MediaMode,
};

use super::udp_uac::UdpUac;

pub const WAIT: Duration = Duration::from_secs(5);

/// Decides by the Request-URI's user part.
#[derive(Clone)]
pub struct ByUser;

impl CallHandler for ByUser {
    fn on_incoming(&mut self, call: &IncomingCall<'_>) -> Decision {
        match call.request_user().as_deref() {
            Some("defer") => Decision::defer(),
            Some("reject") => Decision::reject_with_reason(486, "Gone Fishing").expect("a valid rejection"),
            Some("redirect") => Decision::redirect("sip:elsewhere@127.0.0.1:5099").expect("a valid redirect"),
            _ => Decision::accept(),
        }
    }

    fn on_options(&mut self, request: &IncomingRequest<'_>) -> FinalStatus {
        if request.request_user().as_deref() == Some("forbidden") {
            FinalStatus::FORBIDDEN
        } else {
            FinalStatus::OK
        }
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
pub fn wait_for(rx: &Events, what: &str, pred: impl Fn(&Event) -> bool) -> Event {
    let until = Instant::now() + WAIT;
    while let Ok(e) = rx.recv_deadline(until) {
        if pred(&e) {
            return e;
        }
    }
    panic!("no {what} event within {WAIT:?}");
}

/// The id of `uac`'s call, from its Incoming event.
pub fn incoming(rx: &Events, uac: &UdpUac) -> CallHandle {
    let cid = uac.call_id.clone();
    wait_for(rx, "Incoming", |e| e.kind == EventKind::Incoming && e.info.call_id == cid).call
}

pub fn ended(rx: &Events, id: CallHandle) -> EventKind {
    wait_for(rx, "Terminated", |e| e.call == id && matches!(e.kind, EventKind::Terminated { .. })).kind
}
