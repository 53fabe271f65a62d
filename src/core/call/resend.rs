//! What a call keeps to send again itself, outside any transaction: our
//! 2xx until its ACK (RFC 3261 §13.3.1.4) and, for a call we placed, our
//! ACK for each retransmission of its 2xx (§13.2.2.4).

use bytes::Bytes;

use super::Call;
use crate::sip::Method;
use crate::txn::{MessageKind, Peer};

/// What a call keeps to send again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kept {
    /// Our 2xx, until its ACK.
    Ok2xx,
    /// Our ACK for the 2xx of a call we placed.
    Ack,
    /// Our reliable provisional, until its PRACK (RFC 3262 §3).
    Reliable1xx,
}

/// Our 2xx, resent until its ACK arrives (RFC 3261 §13.3.1.4).
#[derive(Debug)]
pub(super) struct Sent2xx {
    pub(super) data: Bytes,
    /// The CSeq number of the INVITE it answers: its ACK carries it.
    pub(super) cseq: u32,
}

impl Call {
    /// What the call keeps to send again: where, the bytes, what they are.
    pub(crate) fn kept(&self, k: Kept) -> Option<(Peer, Bytes, MessageKind)> {
        match k {
            Kept::Ok2xx => {
                self.ok.as_ref().map(|ok| (self.response_to, ok.data.clone(), MessageKind::Response(200)))
            }
            Kept::Ack => {
                let ack = self.uac.as_ref()?.ack.clone()?;
                Some((self.request_peer(), ack, MessageKind::Request(Method::Ack)))
            }
            Kept::Reliable1xx => {
                let (data, code) = self.kept_1xx()?;
                Some((self.response_to, data, MessageKind::Response(code)))
            }
        }
    }

    /// The 2xx the shard wrote for us, kept for retransmission.
    pub(crate) fn sent_2xx(&mut self, data: Bytes, cseq: u32) {
        self.ok = Some(Sent2xx { data, cseq });
    }
}
