//! The requests a call sends inside its dialog, and the client
//! transactions it has in flight.

use bytes::Bytes;

/// A request we send inside a dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InDialog {
    Bye,
    /// INFO (RFC 6086) with the application's body.
    Info {
        content_type: String,
        body: Bytes,
    },
    /// REFER (RFC 3515) to this target URI.
    Refer {
        target: String,
    },
    /// ACK for the 2xx to our INVITE with this CSeq number.
    Ack(u32),
    /// NOTIFY about a REFER we took (RFC 3515 §2.4.5).
    Notify(crate::core::transfer::ReferNotify),
    /// re-INVITE putting the peer on hold (true) or resuming (false).
    Reinvite {
        hold: bool,
    },
    /// UPDATE without a body refreshing the session (RFC 4028).
    Update,
    /// re-INVITE with our unchanged SDP refreshing the session.
    RefreshInvite,
}

/// An INVITE or UPDATE exchange in progress inside a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reinvite {
    /// The peer's re-INVITE, answered or not.
    Incoming,
    /// Ours (ICT slot), with the hold state it asks for.
    Outgoing { slot: usize, hold: bool },
    /// Our session refresh (ICT slot): no change of media.
    Refresh { slot: usize },
}

/// Our requests in flight, by client transaction slot: detached when the
/// call ends, as their slots outlive it.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct InFlight {
    /// Our BYE (NICT).
    pub(crate) bye: Option<u32>,
    /// Our last re-INVITE (ICT).
    pub(crate) reinvite: Option<u32>,
    /// Our INFO and REFER (NICT): one of each at a time.
    pub(crate) info: Option<u32>,
    pub(crate) refer: Option<u32>,
    /// Our CANCEL (NICT): its outcome changes nothing, but its
    /// retransmissions name the call.
    pub(crate) cancel: Option<u32>,
    /// Our last PRACK (NICT).
    pub(crate) prack: Option<u32>,
    /// Our last NOTIFY (NICT).
    pub(crate) notify: Option<u32>,
    /// Our session refresh (NICT).
    pub(crate) update: Option<u32>,
}

impl super::Call {
    /// The shard sent our PRACK in client transaction `slot`.
    pub(crate) fn prack_started(&mut self, slot: usize) {
        self.requests.prack = Some(slot as u32);
    }

    /// The shard sent our CANCEL in client transaction `slot`.
    pub(crate) fn cancel_started(&mut self, slot: usize) {
        self.requests.cancel = Some(slot as u32);
    }

    /// The shard started our request `r` in client transaction `slot`.
    pub(crate) fn request_started(&mut self, r: &InDialog, slot: usize) {
        let txn = Some(slot as u32);
        match r {
            InDialog::Info { .. } => self.requests.info = txn,
            InDialog::Refer { .. } => self.requests.refer = txn,
            InDialog::Notify(_) => self.requests.notify = txn,
            InDialog::Reinvite { hold } => {
                self.reinvite = Some(Reinvite::Outgoing { slot, hold: *hold });
                self.requests.reinvite = txn;
            }
            InDialog::Bye => self.requests.bye = txn,
            InDialog::Update => self.requests.update = txn,
            InDialog::RefreshInvite => {
                self.reinvite = Some(Reinvite::Refresh { slot });
                self.requests.reinvite = txn;
            }
            InDialog::Ack(_) => {}
        }
    }
}
