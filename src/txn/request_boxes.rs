//! Boxes for the requests INVITE server transactions hold while a call is
//! set up. The request sits in a box, not inline in the transaction's
//! table slot, so a transaction that lingers after its 2xx (absorbing
//! retransmissions for 64·T1) costs a pointer's width for it, not a whole
//! parsed message; the box goes back here for the next INVITE, so holding
//! requests this way costs no allocation per call once warm.

use crate::sip::Message;

/// Empty boxes kept for reuse at most (the requests being set up at once).
const MAX_FREE: usize = 4096;

/// A shard's free boxes for held requests.
#[derive(Debug, Default)]
pub struct RequestBoxes {
    // The boxes themselves are what is reused: a transaction holds one.
    #[allow(clippy::vec_box)]
    free: Vec<Box<Message>>,
}

impl RequestBoxes {
    /// `msg` in a box, reused when one is free.
    pub fn boxed(&mut self, msg: Message) -> Box<Message> {
        match self.free.pop() {
            Some(mut b) => {
                *b = msg;
                b
            }
            None => Box::new(msg),
        }
    }

    /// Lets the request go (its buffer is freed now) and keeps the box.
    pub fn recycle(&mut self, mut b: Box<Message>) {
        drop(b.take());
        if self.free.len() < MAX_FREE {
            self.free.push(b);
        }
    }

    /// Boxes waiting for reuse.
    pub fn free(&self) -> usize {
        self.free.len()
    }
}
