//! How a call leaves: what the shard must release once it has ended
//! (timers, requests in flight, its RTP port, its events' context).

use std::sync::Arc;
use std::time::Instant;

use super::Call;
use crate::core::CallInfo;
use crate::dialog::{CallState, Dialog};
use crate::timer::TimerHandle;

/// What the shard needs of a call that ended.
#[derive(Debug)]
pub(crate) struct Finished {
    pub(crate) dialog: Dialog,
    pub(crate) started: Instant,
    pub(crate) timers: [Option<TimerHandle>; 10],
    /// Our requests still in flight (NICT slots, then ICT slots): their
    /// outcomes must no longer reach the slot, which may be reused.
    pub(crate) nict: [Option<u32>; 7],
    pub(crate) ict: [Option<u32>; 2],
    /// The RTP port and whether its stream runs.
    pub(crate) port: Option<(u16, bool)>,
    pub(crate) placed: bool,
    /// A call placed on a REFER, not answered: the referrer's call,
    /// which hears how it ended.
    pub(crate) unanswered_referrer: Option<crate::core::CallHandle>,
    pub(crate) info: Option<Arc<CallInfo>>,
}

impl Call {
    /// The call ends: what the shard must release.
    pub(crate) fn finish(mut self) -> Finished {
        self.enter(CallState::Terminated);
        let uac_invite = self.uac.as_ref().map(|l| l.invite_txn.0 as u32);
        let r = &self.requests;
        Finished {
            timers: self.timers.all(),
            nict: [r.bye, r.info, r.refer, r.cancel, r.prack, r.notify, r.update],
            ict: [r.reinvite, uac_invite],
            port: self.media.local_port.map(|p| (p, self.media.open)),
            placed: self.uac.is_some(),
            unanswered_referrer: self
                .uac
                .as_ref()
                .filter(|l| l.ack.is_none())
                .and_then(|l| l.call.referrer()),
            info: self.info.take(),
            started: self.started,
            dialog: self.dialog,
        }
    }
}
