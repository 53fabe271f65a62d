//! One step of a call: what it may read (the time, the timer values) and
//! what it asks the shard to do, in order. The shard owns one `Step` and
//! reuses its buffer, so a call's transition allocates nothing.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;

pub(crate) use super::event::CallEvent;
use super::resend::Kept;
use super::{CallTimer, InDialog};
use crate::core::CallErrorKind;
use crate::dialog::{Dialog, EndReason};
use crate::timer::TimerHandle;
use crate::txn::TimerConfig;

/// What a call asks of the shard.
#[derive(Debug)]
pub(crate) enum Effect {
    /// Respond to an INVITE of the call through its server transaction.
    Respond { txn: usize, code: u16, with: With },
    /// Send a request in the call's dialog (an ACK goes without a
    /// transaction).
    Request(InDialog),
    /// Send CANCEL for the INVITE of a call we placed.
    Cancel,
    /// ACK a 2xx from a fork we did not confirm, then end that dialog
    /// with BYE unless `again` (its 2xx again: the BYE is on its way).
    ReleaseFork { dialog: Box<Dialog>, again: bool },
    /// PRACK a reliable provisional (RFC 3262 §4) in its early dialog.
    Prack { dialog: Box<Dialog>, rack: crate::core::reliable::RAck },
    /// Send again what the call keeps: a retransmission.
    Resend(Kept),
    /// Arm a call timer (replacing the same timer if armed).
    Arm(CallTimer, Duration),
    /// Cancel timers the call had armed.
    Disarm([Option<TimerHandle>; 3]),
    /// Media work for the call's stream.
    Media(MediaOp),
    /// Tell the application.
    Event(CallEvent),
    /// A call we placed was answered (we ACKed its 2xx) after `setup`.
    Answered { setup: Duration },
    /// An RTP port the call took and will not use goes back to the stock.
    ReleasePort(u16),
    /// The call is over.
    End(EndReason),
}

/// Media work for the call's own stream (the shard adds the call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MediaOp {
    Open {
        local_port: u16,
        remote: Option<SocketAddr>,
        payload_type: u8,
        send: bool,
        mode: Option<crate::media::MediaMode>,
        dtmf_pt: Option<u8>,
        srtp: Option<Box<crate::media::SrtpKeys>>,
    },
    Rekey {
        local_port: u16,
        srtp: Option<Box<crate::media::SrtpKeys>>,
    },
    Mode {
        local_port: u16,
        mode: crate::media::MediaMode,
    },
    Direction {
        local_port: u16,
        send: bool,
    },
    Music {
        local_port: u16,
        on: bool,
    },
    Bridge {
        local_port: u16,
        other_port: u16,
    },
}

/// What a response to the call's INVITE carries beyond the copied headers.
#[derive(Debug, Default)]
pub(crate) struct With {
    /// The To tag: our dialog's tag.
    pub tag: bool,
    /// Our Contact and the request's Record-Route (dialog-creating).
    pub dialog: bool,
    pub allow: bool,
    /// A 2xx the call resends until its ACK: hand it back to the call.
    pub keep: bool,
    /// The call's answer: counted, with its setup time.
    pub answers: bool,
    pub sdp: Option<Bytes>,
    /// A reliable provisional (RFC 3262): its RSeq; the call keeps it to
    /// resend until its PRACK.
    pub reliable: Option<u32>,
    /// Session-Expires (and Require: timer) of a 2xx (RFC 4028).
    pub session: Option<crate::core::session_timer::SessionHeader>,
    /// A reason phrase or a redirect of the application's (rare, so apart).
    pub custom: Option<Box<Custom>>,
}

/// The application's parts of a response.
#[derive(Debug, Default)]
pub(crate) struct Custom {
    /// Instead of the standard phrase of the code.
    pub reason: Option<String>,
    /// A 3xx's Contact.
    pub redirect: Option<String>,
}

/// A call's view of the shard for one step.
#[derive(Debug)]
pub(crate) struct Step {
    pub(crate) now: Instant,
    pub(crate) timers: TimerConfig,
    pub(crate) defer_timeout: Duration,
    events: bool,
    effects: Vec<Effect>,
}

impl Step {
    pub(crate) fn new(timers: TimerConfig, defer_timeout: Duration, events: bool, now: Instant) -> Step {
        Step { now, timers, defer_timeout, events, effects: Vec::with_capacity(16) }
    }

    pub(crate) fn push(&mut self, e: Effect) {
        self.effects.push(e);
    }

    /// A response with the standard reason phrase of `code`.
    pub(crate) fn respond(&mut self, txn: usize, code: u16, with: With) {
        self.effects.push(Effect::Respond { txn, code, with });
    }

    pub(crate) fn arm(&mut self, timer: CallTimer, after: Duration) {
        self.effects.push(Effect::Arm(timer, after));
    }

    /// Cancels the timers given (those armed).
    pub(crate) fn disarm(&mut self, handles: [Option<TimerHandle>; 3]) {
        if handles.iter().any(Option::is_some) {
            self.effects.push(Effect::Disarm(handles));
        }
    }

    pub(crate) fn request(&mut self, r: InDialog) {
        self.effects.push(Effect::Request(r));
    }

    pub(crate) fn media(&mut self, op: MediaOp) {
        self.effects.push(Effect::Media(op));
    }

    /// An event, when anybody listens.
    pub(crate) fn event(&mut self, kind: CallEvent) {
        if self.events {
            self.effects.push(Effect::Event(kind));
        }
    }

    /// A per-call error; the detail is written only when anybody listens.
    pub(crate) fn error(&mut self, kind: CallErrorKind, detail: impl FnOnce() -> String) {
        if self.events {
            self.effects.push(Effect::Event(CallEvent::Error { kind, detail: detail() }));
        }
    }

    pub(crate) fn end(&mut self, reason: EndReason) {
        self.effects.push(Effect::End(reason));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.effects.is_empty()
    }

    /// The effects so far, in order; the shard gives the buffer back
    /// with `restore` once it has carried them out.
    pub(crate) fn take(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    pub(crate) fn restore(&mut self, mut buf: Vec<Effect>) {
        if self.effects.is_empty() {
            buf.clear();
            self.effects = buf;
        }
    }
}
