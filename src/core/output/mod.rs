//! What a core step produces, each item typed: messages to transmit
//! (what each is, for which call, to which peer, over which transport and
//! connection), media commands for the RTP layer, events for the
//! application, and connections calls no longer need. The runtime drains the outbox
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
    /// Messages to send.
    pub transmits: Vec<Transmit>,
    /// Media commands.
    pub media: Vec<MediaCommand>,
    /// Application events.
    pub events: Vec<Event>,
    /// Connections a call we placed no longer needs (it ended): the
    /// runtime closes the ones it opened for that call alone.
    pub released: Vec<crate::txn::ConnId>,
}

impl Outbox {
    /// Empties every queue (keeps the allocations).
    pub fn clear(&mut self) {
        self.transmits.clear();
        self.media.clear();
        self.events.clear();
        self.released.clear();
    }
}
