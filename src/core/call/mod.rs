//! A call: its state, its dialog, its media and the timers and requests
//! it has in flight, and every transition it makes. Its methods take the
//! events of its transactions and dialog (a new INVITE decided, an ACK, a
//! BYE, a final response, a timer, a command) and say what to do through
//! a `Step`; the shard carries that out. The states and the legal moves
//! between them are `dialog::CallState`; only `enter` changes the state.
//!
//! The transitions by concept: `answering` (an INVITE we answer),
//! `in_dialog` and `request_outcome` (requests inside the call), `placed`,
//! `commands`, `transfer` (our REFER), `referred` (a REFER we took),
//! `reliable` (100rel, early media), `session` (RFC 4028), `local_sdp`
//! (our port, SDP version and SRTP keys across exchanges), `timers`.

mod answering;
mod commands;
mod event;
mod finished;
mod flow;
mod in_dialog;
mod leg;
mod local_sdp;
mod media;
mod placed;
mod referred;
mod reliable;
mod request_outcome;
mod requests;
mod resend;
mod session;
mod step;
mod table;
mod timers;
mod transfer;

use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) use commands::CallCommand;
pub(crate) use event::CallEvent;
pub(crate) use leg::{CancelState, MAX_EARLY_DIALOGS, UacLeg};
pub(crate) use media::CallMedia;
pub(crate) use placed::Refusal;
pub(crate) use requests::{InDialog, InFlight, Reinvite};
pub(crate) use resend::Kept;
pub(crate) use step::{Effect, MediaOp, Step, With};
pub(crate) use table::CallTable;
pub(crate) use timers::{CallTimer, CallTimers};

use crate::core::CallInfo;
use crate::core::offer_answer::SdpAnswer;
use crate::dialog::{CallState, Dialog, EndReason};
use crate::sip::Transport;
use crate::txn::Peer;

/// One call (either role).
#[derive(Debug)]
pub(crate) struct Call {
    generation: u32,
    state: CallState,
    dialog: Dialog,
    started: Instant,
    /// The initial INVITE's server transaction, until it is answered.
    invite_txn: Option<usize>,
    /// An offer/answer exchange in progress inside the dialog.
    reinvite: Option<Reinvite>,
    ok: Option<resend::Sent2xx>,
    /// The 2xx retransmission interval: T1 doubling to T2.
    ok_interval: Duration,
    /// How the peer is reached. For a call we answer: where our 2xx (and
    /// its retransmissions) go, over a stream the INVITE's connection; for
    /// a call we place: the target. Requests we send in the dialog go over
    /// its transport and connection (`request_peer`).
    response_to: Peer,
    timers: CallTimers,
    /// Hang up this long after the call is up (None: never by itself).
    hangup_after: Option<Duration>,
    media: CallMedia,
    /// Set when we sent BYE: the reason the call ends with.
    ending: Option<EndReason>,
    requests: InFlight,
    /// Our REFER and its subscription.
    transfer: transfer::OurRefer,
    /// The subscription a REFER we took made (RFC 3515), and reliable
    /// provisionals the caller asked for (RFC 3262).
    referred: Option<crate::core::transfer::Referred>,
    reliable: Option<Box<crate::core::reliable::ReliableUas>>,
    /// For a call we placed: its INVITE, CANCEL and ACK state.
    uac: Option<Box<UacLeg>>,
    /// Who the call is between, for its events (None: nobody listens).
    info: Option<Arc<CallInfo>>,
    /// The session timer, when one was negotiated (RFC 4028).
    session: Option<crate::core::session_timer::Negotiated>,
}

impl Call {
    /// A call for an INVITE we will answer, through server transaction
    /// `txn`, with `answer` to its offer.
    pub(crate) fn incoming(
        generation: u32,
        dialog: Dialog,
        now: Instant,
        response_to: Peer,
        txn: usize,
        answer: SdpAnswer,
    ) -> Call {
        Call {
            invite_txn: Some(txn),
            media: CallMedia::answered(answer),
            ..Call::new(generation, CallState::Incoming, dialog, now, response_to)
        }
    }

    /// A call we place; its INVITE goes out next (`invite_sent`).
    pub(crate) fn placed(
        generation: u32,
        dialog: Dialog,
        now: Instant,
        local_port: Option<u16>,
        out: Arc<crate::core::OutgoingCall>,
        transport: Transport,
    ) -> Call {
        let peer = Peer { addr: dialog.source, transport, conn: None };
        let mut c = Call::new(generation, CallState::Calling, dialog, now, peer);
        c.hangup_after = out.hang_up_after;
        c.media = CallMedia::offered(local_port, out.media);
        let cancel = if out.cancel_when_ringing { CancelState::OnRinging } else { CancelState::No };
        c.uac = Some(Box::new(UacLeg::new(cancel, out)));
        c
    }

    fn new(generation: u32, state: CallState, dialog: Dialog, now: Instant, to: Peer) -> Call {
        Call {
            generation,
            state,
            dialog,
            started: now,
            invite_txn: None,
            reinvite: None,
            ok: None,
            ok_interval: Duration::ZERO,
            response_to: to,
            timers: CallTimers::default(),
            hangup_after: None,
            media: CallMedia::offered(None, None),
            ending: None,
            requests: InFlight::default(),
            transfer: transfer::OurRefer::No,
            referred: None,
            reliable: None,
            uac: None,
            info: None,
            session: None,
        }
    }

    /// With its context for events.
    pub(crate) fn with_info(mut self, info: Option<Arc<CallInfo>>) -> Call {
        self.info = info;
        self
    }

    /// Its context for events (None when nobody listens).
    pub(crate) fn info(&self) -> Option<&Arc<CallInfo>> {
        self.info.as_ref()
    }

    /// The only place the state changes; the move must be one
    /// `CallState::may_become` lists.
    fn enter(&mut self, next: CallState) {
        debug_assert!(self.state.may_become(next), "{:?} -> {next:?}", self.state);
        self.state = next;
    }

    pub(crate) fn generation(&self) -> u32 {
        self.generation
    }
    pub(crate) fn dialog(&self) -> &Dialog {
        &self.dialog
    }
    /// The CSeq number of our next request in the dialog.
    pub(crate) fn next_local_cseq(&mut self) -> u32 {
        self.dialog.local_cseq += 1;
        self.dialog.local_cseq
    }
    pub(crate) fn started(&self) -> Instant {
        self.started
    }
    pub(crate) fn leg(&self) -> Option<&UacLeg> {
        self.uac.as_deref()
    }
}
