//! Where a call's RTP port comes from. The core only names ports; the
//! runtime's source binds the socket pair while the answer is written
//! (so the SDP carries a port that is really ours) and may run out.

use super::ShardCore;
use super::sdp_glue::SdpAnswer;
use crate::sip::Message;

/// A source of even RTP ports (RTCP on the next odd one).
pub trait RtpPorts: Send + std::any::Any {
    /// A port pair for a new call, or `None` when none is free (the call
    /// is answered 503).
    fn acquire(&mut self) -> Option<u16>;
    /// Gives back a pair whose media never opened.
    fn release(&mut self, port: u16);
}

/// Without media: ports of the configured range named in turn, never
/// bound and never exhausted.
#[derive(Debug)]
pub(crate) struct NamedPorts {
    range: (u16, u16),
    next: u16,
}

impl NamedPorts {
    pub(crate) fn new((start, end): (u16, u16)) -> NamedPorts {
        let start = start + start % 2;
        NamedPorts { range: (start, end.max(start + 2)), next: start }
    }
}

impl RtpPorts for NamedPorts {
    fn acquire(&mut self) -> Option<u16> {
        let p = self.next;
        self.next = if p + 2 >= self.range.1 { self.range.0 } else { p + 2 };
        Some(p)
    }

    fn release(&mut self, _port: u16) {}
}

impl ShardCore {
    /// Lets `handler` decide new calls and requests instead of the
    /// configured policy.
    pub fn set_handler(&mut self, handler: Box<dyn super::CallHandler>) {
        self.handler = handler;
    }

    /// Takes RTP ports from `ports` instead of naming them.
    pub fn set_rtp_ports(&mut self, ports: Box<dyn RtpPorts>) {
        self.ports = ports;
    }

    /// The port source, for the runtime to reach its own type (the
    /// sockets it bound).
    pub fn rtp_ports_mut(&mut self) -> &mut dyn RtpPorts {
        &mut *self.ports
    }

    /// Our SDP for a new call's INVITE on a freshly taken pair, which goes
    /// back when no stream was accepted. Errors are the status to refuse
    /// the call with (503 when no pair is free, counted).
    pub(crate) fn answer_new_call(&mut self, msg: &Message) -> Result<SdpAnswer, (u16, &'static str)> {
        let Some(port) = self.ports.acquire() else {
            self.stats.media_refused += 1;
            return Err((503, "Service Unavailable - No RTP Ports"));
        };
        let answer = self.sdp.answer_offer(msg, port, 1);
        if !matches!(&answer, Ok(a) if a.port.is_some()) {
            self.ports.release(port);
        }
        answer
    }

    /// The call is answered: its media starts on its pair.
    pub(crate) fn open_media(&mut self, call: usize, out: &mut super::Outbox) {
        let handle = self.calls.handle(call);
        let Some(c) = self.calls.get_mut(call) else { return };
        let Some(local_port) = c.local_port else { return };
        c.media_open = true;
        let (remote, payload_type, send, mode) =
            (c.remote_media, c.payload_type, !c.remote_held, c.media_mode);
        out.media.push(super::MediaCommand::Open {
            call: handle,
            local_port,
            remote,
            payload_type,
            send,
            mode,
            dtmf_pt: c.dtmf_pt,
        });
        if mode != Some(crate::media::MediaMode::Off) {
            self.emit(call, super::EventKind::MediaStarted { local_port }, out);
        }
    }

    /// Gives back a call's port whose media never opened.
    pub(crate) fn release_port(&mut self, port: Option<u16>) {
        if let Some(p) = port {
            self.ports.release(p);
        }
    }
}
