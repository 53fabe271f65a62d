//! A message to send, with what it is, the call it belongs to and where
//! it goes (address, transport, connection), so the runtime and the
//! counters never sniff the bytes, and a failed send is reported to its
//! call without scanning for the Call-ID.

use bytes::Bytes;

use crate::core::CallHandle;
use crate::txn::{MessageKind, Peer, TxnOutput};

/// One message for the transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    /// Destination: over a stream, the connection named if it is still
    /// open, else one to `to.addr`.
    pub to: Peer,
    /// Bytes on the wire.
    pub data: Bytes,
    /// The request method or response status it carries.
    pub kind: MessageKind,
    /// The call it belongs to (None: a request outside any call, a
    /// stateless refusal).
    pub call: Option<CallHandle>,
}

/// The outbox as a transaction's output: every datagram of one step is
/// tagged with the call that step is about.
pub(crate) struct CallTransmits<'a> {
    pub(crate) out: &'a mut Vec<Transmit>,
    pub(crate) call: Option<CallHandle>,
}

impl TxnOutput for CallTransmits<'_> {
    fn send(&mut self, to: Peer, data: Bytes, kind: MessageKind) {
        self.out.push(Transmit { to, data, kind, call: self.call });
    }
}
