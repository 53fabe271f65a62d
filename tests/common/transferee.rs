//! The transferee's side of a blind transfer (RFC 3515, RFC 5589), which
//! the core does not play: in front of a node, it takes REFER (202, again
//! for each retransmission), has its node place a call to the Refer-To
//! target, and reports that call's progress with NOTIFYs
//! (message/sipfrag), one at a time, each resent on T1 doubling until
//! answered.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use sipbench::core::{Applied, CallHandle, Command, EventKind, OutgoingCall};
use sipbench::dialog::EndReason;
use sipbench::sip::{HeaderName, Message, Method};

use super::pair::{Interceptor, Node};
use super::respond;

/// The REFER's dialog, seen from the transferee.
struct Referred {
    from: SocketAddr,
    uri: String,
    /// Our From (the REFER's To) and To (its From), tags included.
    ours: String,
    theirs: String,
    call_id: String,
    refer_cseq: u32,
}

/// The NOTIFY on its way: resent until answered.
struct Pending {
    cseq: u32,
    data: Bytes,
    next_at: Instant,
    interval: Duration,
}

/// A transferee in front of one node.
#[derive(Default)]
pub struct Transferee {
    referred: Option<Referred>,
    /// The call to the target, once placed.
    pub call: Option<CallHandle>,
    /// Sipfrag status lines still to send, and whether each is the last.
    queue: Vec<(String, bool)>,
    pending: Option<Pending>,
    cseq: u32,
    /// The target call's progress reported so far.
    rang: bool,
    done: bool,
    /// NOTIFYs sent, retransmissions included.
    pub notifies_sent: u64,
}

impl Transferee {
    fn notify(&mut self, node: &Node, status: &str, last: bool) -> Bytes {
        let r = self.referred.as_ref().expect("a REFER came");
        self.cseq += 1;
        let state = if last { "terminated;reason=noresource" } else { "active;expires=60" };
        let body = format!("SIP/2.0 {status}\r\n");
        Bytes::from(format!(
            "NOTIFY {} SIP/2.0\r\nVia: SIP/2.0/UDP {};branch=z9hG4bK-notify-{}\r\nMax-Forwards: 70\r\n\
             From: {}\r\nTo: {}\r\nCall-ID: {}\r\nCSeq: {} NOTIFY\r\nContact: <sip:transferee@{}>\r\n\
             Event: refer\r\nSubscription-State: {state}\r\nContent-Type: message/sipfrag\r\n\
             Content-Length: {}\r\n\r\n{body}",
            r.uri,
            node.addr,
            self.cseq,
            r.ours,
            r.theirs,
            r.call_id,
            self.cseq,
            node.addr,
            body.len()
        ))
    }

    /// Queues what the target call did since last time.
    fn watch(&mut self, node: &Node) {
        let Some(call) = self.call.filter(|_| !self.done) else { return };
        if !self.rang && node.saw(call, &EventKind::Ringing) {
            self.rang = true;
            self.queue.push(("180 Ringing".into(), false));
        }
        if node.saw(call, &EventKind::Established) {
            self.done = true;
            self.queue.push(("200 OK".into(), true));
        } else if let Some(reason) = node.ended(call) {
            self.done = true;
            let code = if let EndReason::Rejected(c) = reason { c } else { 503 };
            self.queue.push((format!("{code} Failed"), true));
        }
    }
}

impl Interceptor for Transferee {
    fn take(
        &mut self,
        node: &mut Node,
        now: Instant,
        from: SocketAddr,
        data: &Bytes,
    ) -> Option<Vec<(SocketAddr, Bytes)>> {
        let msg = Message::parse(data.clone()).ok()?;
        if msg.status_code().is_some() {
            if msg.cseq().ok()?.method != Method::Notify {
                return None;
            }
            // Answered (not a late answer to an earlier one): the next one
            // may go.
            if self.pending.as_ref().is_some_and(|p| Some(p.cseq) == msg.cseq_number()) {
                self.pending = None;
            }
            return Some(Vec::new());
        }
        if msg.method() != Method::Refer {
            return None;
        }
        let seq = msg.cseq_number().unwrap_or(0);
        if self.referred.as_ref().is_none_or(|r| r.refer_cseq != seq) {
            let header = |h| msg.header(h).unwrap_or("").to_owned();
            let target = msg.header_by_name("Refer-To").unwrap_or("").trim_matches(['<', '>']).to_owned();
            let uri = msg.contact().and_then(Result::ok).map(|c| c.uri.to_owned()).unwrap_or_default();
            let (ours, theirs) = (header(HeaderName::To), header(HeaderName::From));
            let call_id = msg.call_id().to_owned();
            self.referred = Some(Referred { from, uri, ours, theirs, call_id, refer_cseq: seq });
            let call = OutgoingCall::new(&target).from(&format!("sip:transferee@{}", node.addr));
            if let Ok(Applied::Placed(h)) = node.command(now, Command::Place(std::sync::Arc::new(call))) {
                self.call = Some(h);
            }
            self.queue.push(("100 Trying".into(), false));
        }
        Some(vec![(from, respond(&msg, 202, "Accepted"))])
    }

    fn poll(&mut self, node: &mut Node, now: Instant) -> (Vec<(SocketAddr, Bytes)>, Option<Instant>) {
        self.watch(node);
        let Some(to) = self.referred.as_ref().map(|r| r.from) else { return (Vec::new(), None) };
        if self.pending.is_none() && !self.queue.is_empty() {
            let (status, last) = self.queue.remove(0);
            let data = self.notify(node, &status, last);
            let cseq = self.cseq;
            self.pending = Some(Pending { cseq, data, next_at: now, interval: Duration::from_millis(500) });
        }
        let Some(p) = self.pending.as_mut() else { return (Vec::new(), None) };
        if p.next_at > now {
            return (Vec::new(), Some(p.next_at));
        }
        let data = p.data.clone();
        p.next_at = now + p.interval;
        p.interval = (p.interval * 2).min(Duration::from_secs(4));
        self.notifies_sent += 1;
        (vec![(to, data)], Some(p.next_at))
    }
}
