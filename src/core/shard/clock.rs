//! The shard's timing wheel and timer values: where transaction steps get
//! their context (built here, and only here), and where call timers are
//! armed.

use std::time::Instant;

use crate::core::call::CallTimer;
use crate::core::output::CallTransmits;
use crate::core::{CallHandle, Transmit};
use crate::timer::{TimerHandle, TimerWheel};
use crate::txn::{KeptResponses, RequestBoxes, TimerConfig, TxnCtx, TxnTimerRef};

/// What the wheel carries: a transaction timer or a call timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CoreTimer {
    Txn(TxnTimerRef),
    Call { slot: u32, generation: u32, timer: CallTimer },
}

impl From<TxnTimerRef> for CoreTimer {
    fn from(t: TxnTimerRef) -> Self {
        CoreTimer::Txn(t)
    }
}

/// A transaction step's context.
pub(crate) type Ctx<'a> = TxnCtx<'a, CoreTimer, CallTransmits<'a>>;

/// The wheel and the RFC 3261 timer values.
#[derive(Debug)]
pub(crate) struct Clock {
    pub(crate) wheel: TimerWheel<CoreTimer>,
    pub(crate) values: TimerConfig,
    /// Responses lingering server transactions keep.
    pub(crate) kept: KeptResponses,
    /// Boxes of the requests INVITE transactions hold.
    pub(crate) boxes: RequestBoxes,
}

impl Clock {
    pub(crate) fn new(epoch: Instant, values: TimerConfig) -> Clock {
        let (kept, boxes) = (KeptResponses::default(), RequestBoxes::default());
        Clock { wheel: TimerWheel::new(epoch), values, kept, boxes }
    }

    /// The context for one transaction step at `now`: its datagrams go to
    /// `out`, tagged with `call`.
    pub(crate) fn txn<'a>(
        &'a mut self,
        now: Instant,
        out: &'a mut Vec<Transmit>,
        call: Option<CallHandle>,
    ) -> Ctx<'a> {
        let (wheel, timers, kept, boxes) = (&mut self.wheel, &self.values, &mut self.kept, &mut self.boxes);
        TxnCtx { now, wheel, out: CallTransmits { out, call }, timers, kept, boxes }
    }

    /// Arms `timer` of the call `h` to fire at `at`.
    pub(crate) fn arm_call(&mut self, at: Instant, h: CallHandle, timer: CallTimer) -> TimerHandle {
        self.wheel.insert(at, CoreTimer::Call { slot: h.slot, generation: h.generation, timer })
    }
}
