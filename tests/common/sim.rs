//! A lossy network and a UAC that retransmits like a real one (SIPp-like):
//! INVITE on Timer A (T1 doubling), BYE and CANCEL on Timer E (doubling to
//! T2), giving up after 64·T1; every 2xx to the INVITE is ACKed again,
//! every non-2xx gets the transaction's ACK, every server BYE gets 200.

use std::collections::BTreeMap;

use bytes::Bytes;
use sipbench::sip::{Message, Method};

use super::{UacCall, respond};

pub const T1: u64 = 500;
pub const T2: u64 = 4000;

/// Knuth's MMIX LCG, high bits used.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
}

/// What the UAC last saw that decides its view of the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    Nothing,
    Final(u16),
    ByeAnswered(u16),
    ServerBye,
    GaveUp,
}

/// Which retransmission a UAC timer drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Job {
    Invite,
    Cancel,
    Bye,
    HangUp,
}

/// A client transaction being retransmitted.
#[derive(Debug, Clone)]
struct Retx {
    data: Bytes,
    started: u64,
    interval: u64,
    cap: u64,
    generation: u32,
}

/// One call of the UAC.
pub struct UacState {
    pub call: UacCall,
    pub cancels: bool,
    pub seen: Seen,
    pub got_1xx: bool,
    pub ack: Option<Bytes>,
    jobs: BTreeMap<Job, Retx>,
    gens: u32,
}

/// Something to send and timers to arm, from one UAC step.
#[derive(Default)]
pub struct Effects {
    pub send: Vec<Bytes>,
    /// (delay ms, job, generation)
    pub arm: Vec<(u64, Job, u32)>,
}

impl UacState {
    pub fn new(i: u64, cancels: bool) -> UacState {
        UacState {
            call: UacCall::new(i),
            cancels,
            seen: Seen::Nothing,
            got_1xx: false,
            ack: None,
            jobs: BTreeMap::new(),
            gens: 0,
        }
    }

    fn start(&mut self, now: u64, job: Job, data: Bytes, cap: u64, fx: &mut Effects) {
        self.gens += 1;
        fx.send.push(data.clone());
        fx.arm.push((T1, job, self.gens));
        self.jobs.insert(job, Retx { data, started: now, interval: T1, cap, generation: self.gens });
    }

    pub fn begin(&mut self, now: u64, fx: &mut Effects) {
        let invite = self.call.invite();
        self.start(now, Job::Invite, invite, u64::MAX, fx);
    }

    /// Sends BYE (the UAC hangs up) unless the call is over.
    fn hang_up(&mut self, now: u64, fx: &mut Effects) {
        if self.seen == Seen::Nothing && !self.jobs.contains_key(&Job::Bye) {
            let bye = self.call.in_dialog("BYE", None);
            self.start(now, Job::Bye, bye, T2, fx);
        }
    }

    /// A UAC timer fired.
    pub fn on_timer(&mut self, now: u64, job: Job, generation: u32, fx: &mut Effects) {
        if job == Job::HangUp {
            return self.hang_up(now, fx);
        }
        let Some(r) = self.jobs.get_mut(&job).filter(|r| r.generation == generation) else { return };
        if now - r.started >= 64 * T1 {
            self.jobs.remove(&job);
            if job != Job::Cancel && self.seen == Seen::Nothing {
                self.seen = Seen::GaveUp;
            }
            return;
        }
        fx.send.push(r.data.clone());
        r.interval = (r.interval * 2).min(r.cap);
        fx.arm.push((r.interval, job, generation));
    }

    /// A datagram from the server; `hold` is how long to wait before BYE
    /// (None: the UAC never hangs up, the server does).
    pub fn on_message(&mut self, now: u64, m: &Message, hold: Option<u64>, fx: &mut Effects) {
        if m.is_request() {
            assert_eq!(m.method(), Method::Bye, "the server sent {}", m.method_name());
            fx.send.push(respond(m, 200, "OK"));
            self.jobs.clear();
            if matches!(self.seen, Seen::Nothing | Seen::Final(_)) {
                self.seen = Seen::ServerBye;
            }
            return;
        }
        let code = m.status_code().unwrap();
        let cseq = m.cseq().unwrap();
        match cseq.method {
            Method::Invite if code < 200 => {
                self.jobs.remove(&Job::Invite); // Proceeding: no more Timer A
                if self.cancels && !self.got_1xx && code == 180 {
                    let cancel = self.call.cancel();
                    self.start(now, Job::Cancel, cancel, T2, fx);
                }
                self.got_1xx = true;
            }
            Method::Invite if code < 300 => {
                self.jobs.remove(&Job::Invite);
                self.jobs.remove(&Job::Cancel);
                if self.ack.is_none() {
                    self.call.learn_tag(m);
                    self.ack = Some(self.call.ack_2xx(1));
                    if let Some(hold) = hold {
                        fx.arm.push((hold, Job::HangUp, 0));
                    }
                }
                fx.send.push(self.ack.clone().unwrap());
            }
            Method::Invite => {
                self.jobs.remove(&Job::Invite);
                self.call.learn_tag(m);
                fx.send.push(self.call.ack_non2xx());
                if self.seen == Seen::Nothing {
                    self.seen = Seen::Final(code);
                }
            }
            // (The job goes even when the call was already decided.)
            Method::Bye
                if code >= 200 && self.jobs.remove(&Job::Bye).is_some() && self.seen == Seen::Nothing =>
            {
                self.seen = Seen::ByeAnswered(code);
            }
            Method::Cancel if code >= 200 => {
                self.jobs.remove(&Job::Cancel);
            }
            _ => {}
        }
    }
}
