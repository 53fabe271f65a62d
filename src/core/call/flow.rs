//! How a call's peer is reached (RFC 3261 §18): its transport, and over a
//! stream the connection its dialog uses. A call we answer keeps the
//! INVITE's connection; a call we place sends its INVITE to its target
//! and learns the connection from the first response.
//! Requests we send in the dialog go there while it is open; the runtime
//! opens a new connection to the dialog's next hop when it is gone.

use super::Call;
use crate::sip::Transport;
use crate::txn::{ConnId, Peer};

impl Call {
    /// Where a request we send in the dialog goes: the dialog's next hop
    /// (route set, else remote target, else the INVITE's source) over the
    /// call's transport, on its connection while that is open.
    pub(crate) fn request_peer(&self) -> Peer {
        self.response_to.at(self.dialog.peer())
    }

    /// Where our INVITE goes (again after a challenge): the target the
    /// call was placed to (its outbound proxy, or the Request-URI's host at
    /// the transport's default port), on the connection a response came
    /// on. The dialog's next hop is only known once it is established.
    pub(crate) fn invite_peer(&self) -> Peer {
        self.response_to
    }

    /// The call's transport.
    pub(crate) fn transport(&self) -> Transport {
        self.response_to.transport
    }

    /// A response to a request of ours arrived on `conn`: the call we
    /// placed sends the rest of its dialog there.
    pub(crate) fn learn_conn(&mut self, conn: Option<ConnId>) {
        if self.response_to.conn.is_none() {
            self.response_to.conn = conn;
        }
    }

    /// The connection a call we placed learned (released when it ends).
    pub(crate) fn placed_conn(&self) -> Option<ConnId> {
        self.uac.as_ref().and(self.response_to.conn)
    }
}
