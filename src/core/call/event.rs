//! What a call tells the application: the `EventKind`s a call can cause,
//! small enough to queue cheaply (the shard makes them events).

use crate::core::{CallErrorKind, EventKind, TransferStatus};

/// What a call tells the application (`EventKind` without what only the
/// runtime reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CallEvent {
    Ringing,
    Answered,
    Established,
    Held,
    Resumed,
    MediaStarted { local_port: u16, srtp: Option<crate::media::SrtpSuite> },
    MediaTimeout,
    InfoDelivered { code: u16 },
    RequestFailed { method: &'static str, code: u16 },
    Transfer(TransferStatus),
    Referred { target: String, referred_by: Option<String> },
    Error { kind: CallErrorKind, detail: String },
}

impl From<CallEvent> for EventKind {
    fn from(e: CallEvent) -> EventKind {
        match e {
            CallEvent::Ringing => EventKind::Ringing,
            CallEvent::Answered => EventKind::Answered,
            CallEvent::Established => EventKind::Established,
            CallEvent::Held => EventKind::Held,
            CallEvent::Resumed => EventKind::Resumed,
            CallEvent::MediaStarted { local_port, srtp } => EventKind::MediaStarted { local_port, srtp },
            CallEvent::MediaTimeout => EventKind::MediaTimeout,
            CallEvent::InfoDelivered { code } => EventKind::InfoDelivered { code },
            CallEvent::RequestFailed { method, code } => EventKind::RequestFailed { method, code },
            CallEvent::Transfer(s) => EventKind::Transfer(s),
            CallEvent::Referred { target, referred_by } => EventKind::Referred { target, referred_by },
            CallEvent::Error { kind, detail } => EventKind::Error { kind, detail },
        }
    }
}
