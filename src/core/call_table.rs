//! The shard's calls: slab slots plus an index by Call-ID. Owned by one
//! thread, so plain maps.

use std::time::{Duration, Instant};

use bytes::Bytes;
use slab::Slab;

use crate::dialog::{CallHandle, CallState, Dialog, EndReason};
use crate::timer::TimerHandle;

/// Timers a call may have armed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallTimer {
    /// Send the 200 OK.
    Answer,
    /// Configured duration reached: send BYE (or, for a deferred call
    /// still unanswered, reject it with 480).
    Hangup,
    /// Retransmit our 2xx (RFC 3261 §13.3.1.4).
    Retransmit2xx,
    /// No ACK within 64·T1.
    AckTimeout,
}

/// An INVITE or UPDATE exchange in progress inside a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reinvite {
    /// The peer's re-INVITE, answered or not (IST slot).
    Incoming,
    /// Ours (ICT slot), with the hold state it asks for.
    Outgoing { slot: usize, hold: bool },
}

/// One call's state in the core.
#[derive(Debug)]
pub(crate) struct Call {
    pub generation: u32,
    pub state: CallState,
    pub dialog: Dialog,
    pub started: Instant,
    /// The initial INVITE's server transaction, until it is answered.
    pub invite_txn: Option<usize>,
    pub reinvite: Option<Reinvite>,
    /// A 2xx retransmitted until its ACK arrives.
    pub pending_2xx: Option<Bytes>,
    /// CSeq number of the INVITE that 2xx answers: its ACK carries it.
    pub pending_cseq: u32,
    /// Where the 2xx (and its retransmissions) go.
    pub response_to: std::net::SocketAddr,
    /// Media was opened (an Open command went out).
    pub media_open: bool,
    pub interval_2xx: Duration,
    pub retransmit: Option<TimerHandle>,
    pub ack_timeout: Option<TimerHandle>,
    pub answer: Option<TimerHandle>,
    pub hangup: Option<TimerHandle>,
    pub hangup_after: Option<Duration>,
    /// The SDP answer to send with the 200.
    pub sdp_answer: Option<Bytes>,
    pub local_port: Option<u16>,
    pub sdp_version: u64,
    pub remote_held: bool,
    pub remote_media: Option<std::net::SocketAddr>,
    /// The payload type our media plays.
    pub payload_type: u8,
    /// The application's media mode for this call (None: configured).
    pub media_mode: Option<crate::media::MediaMode>,
    /// The negotiated telephone-event payload type.
    pub dtmf_pt: Option<u8>,
    pub local_held: bool,
    /// Set when we sent BYE: the reason the call will end with.
    pub ending: Option<EndReason>,
    /// Our BYE's client transaction (NICT slot) and our last re-INVITE's
    /// (ICT slot): detached when the call ends, as their slots outlive it.
    pub bye_txn: Option<u32>,
    pub reinvite_txn: Option<u32>,
    /// Our INFO and REFER in flight (NICT slots): one of each at a time.
    pub info_txn: Option<u32>,
    pub refer_txn: Option<u32>,
    /// Our REFER was sent and its subscription has not ended: NOTIFYs
    /// with `Event: refer` report the transfer's progress.
    pub transferring: bool,
    /// For a call we placed: its INVITE, CANCEL and ACK state.
    pub uac: Option<Box<super::uac_leg::UacLeg>>,
}

/// Calls by slot and by Call-ID. The index holds slots only and compares
/// against the dialog's own Call-ID: no second copy of the key per call
/// (one allocation less per call, one cache miss less per lookup).
#[derive(Debug, Default)]
pub(crate) struct CallTable {
    calls: Slab<Call>,
    by_call_id: hashbrown::HashTable<usize>,
    hasher: ahash::RandomState,
}

impl CallTable {
    pub(crate) fn insert(&mut self, call: Call) -> usize {
        let hash = self.hasher.hash_one(call.dialog.call_id());
        let slot = self.calls.insert(call);
        let (calls, hasher) = (&self.calls, &self.hasher);
        self.by_call_id.insert_unique(hash, slot, |&s| hasher.hash_one(calls[s].dialog.call_id()));
        slot
    }

    pub(crate) fn find(&self, call_id: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(call_id);
        let calls = &self.calls;
        self.by_call_id.find(hash, |&s| calls.get(s).is_some_and(|c| c.dialog.call_id() == call_id)).copied()
    }

    pub(crate) fn get_mut(&mut self, slot: usize) -> Option<&mut Call> {
        self.calls.get_mut(slot)
    }

    pub(crate) fn get(&self, slot: usize) -> Option<&Call> {
        self.calls.get(slot)
    }

    /// The call in `slot` if it still has this generation.
    pub(crate) fn live(&self, h: CallHandle) -> Option<&Call> {
        self.calls.get(h.slot as usize).filter(|c| c.generation == h.generation)
    }

    /// The same, to change.
    pub(crate) fn live_mut(&mut self, h: CallHandle) -> Option<&mut Call> {
        self.calls.get_mut(h.slot as usize).filter(|c| c.generation == h.generation)
    }

    pub(crate) fn remove(&mut self, slot: usize) -> Option<Call> {
        let hash = self.hasher.hash_one(self.calls.get(slot)?.dialog.call_id());
        if let Ok(entry) = self.by_call_id.find_entry(hash, |&s| s == slot) {
            entry.remove();
        }
        self.calls.try_remove(slot)
    }

    pub(crate) fn handle(&self, slot: usize) -> CallHandle {
        let generation = self.calls.get(slot).map_or(0, |c| c.generation);
        CallHandle { slot: slot as u32, generation }
    }

    pub(crate) fn len(&self) -> usize {
        self.calls.len()
    }

    pub(crate) fn slots(&self) -> Vec<usize> {
        self.calls.iter().map(|(i, _)| i).collect()
    }
}

impl super::ShardCore {
    /// Live calls, transactions and timers (all zero once idle).
    pub fn table_sizes(&self) -> super::TableSizes {
        super::TableSizes {
            calls: self.calls.len(),
            server_txns: self.ist.len() + self.nist.len(),
            client_txns: self.ict.len() + self.nict.len(),
            timers: self.wheel.len(),
        }
    }

    /// Signalling bytes held per live call (Dialog text plus the fixed
    /// call record), for the per-call memory budget.
    pub fn bytes_per_call(&self) -> usize {
        let slots = self.calls.slots();
        if slots.is_empty() {
            return 0;
        }
        let text: usize =
            slots.iter().filter_map(|&s| self.calls.get(s)).map(|c| c.dialog.heap_bytes()).sum();
        text / slots.len() + std::mem::size_of::<Call>() + 32
    }
}
