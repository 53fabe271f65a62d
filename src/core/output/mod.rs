//! What a core step produces, each item typed: datagrams to transmit
//! (what each is, for which call, to where), media commands for the RTP
//! layer and events for the application. The runtime drains the outbox
//! after each step and never reads the bytes again to learn what they are.

mod call_info;
mod event;
mod media;
mod transmit;

pub use call_info::{CallDirection, CallInfo};
pub use event::{CallErrorKind, Event, EventKind, TransferStatus};
pub use media::MediaCommand;
pub(crate) use transmit::CallTransmits;
pub use transmit::Transmit;

/// Everything one core step asks the outside world to do.
#[derive(Debug, Default)]
pub struct Outbox {
    /// Datagrams to send.
    pub transmits: Vec<Transmit>,
    /// Media commands.
    pub media: Vec<MediaCommand>,
    /// Application events.
    pub events: Vec<Event>,
}

impl Outbox {
    /// Empties every queue (keeps the allocations).
    pub fn clear(&mut self) {
        self.transmits.clear();
        self.media.clear();
        self.events.clear();
    }
}
