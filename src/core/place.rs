//! Placing a call (UAC role, RFC 3261 §13.2.1): a Call-ID this shard owns,
//! an SDP offer, and the INVITE through a client transaction (resent with
//! credentials when challenged).

use std::borrow::Cow;
use std::time::Instant;

use super::call_table::Call;
use super::uac::dialog_request;
use super::uac_leg::{CancelState, OutgoingCall, UacLeg};
use super::{CommandError, Outbox, ShardCore};
use crate::dialog::{CallHandle, CallState, Dialog};
use crate::sip::{Host, Message, Method, Uri};
use crate::txn::{InviteClientTxn, TxnCtx, TxnKey};

impl ShardCore {
    /// Places a call: sends the INVITE with our SDP offer. Events follow
    /// (Ringing, Answered, Established, Terminated); `Command::Hangup`
    /// cancels it before the answer.
    pub fn place_call(
        &mut self,
        now: Instant,
        call: &OutgoingCall,
        out: &mut Outbox,
    ) -> Result<CallHandle, CommandError> {
        let before = out.datagrams.len();
        let r = self.place(now, call, CancelState::No, out);
        self.count_out(out, before);
        r.map(|slot| self.calls.handle(slot))
    }

    pub(crate) fn place(
        &mut self,
        now: Instant,
        call: &OutgoingCall,
        cancel: CancelState,
        out: &mut Outbox,
    ) -> Result<usize, CommandError> {
        let peer = call.destination()?;
        let (from, to) = (name_addr(&call.from)?, name_addr(&call.to)?);
        if !self.accepting {
            return Err(CommandError::Stopped);
        }
        if self.calls.len() >= self.cfg.max_calls {
            return Err(CommandError::Overloaded);
        }
        let call_id = self.own_call_id();
        let tag = self.next_id();
        let dialog = Dialog::for_uac(&call_id, &tag, &from, &to, &call.target, peer);
        let generation = self.next_generation();
        let local_port = self.ports.acquire();
        let slot = self.calls.insert(Call {
            hangup_after: call.hang_up_after,
            local_port,
            media_mode: call.media,
            uac: Some(Box::new(UacLeg {
                invite_txn: (usize::MAX, 0),
                invite_cseq: 1,
                cancel,
                early: Vec::new(),
                released: Vec::new(),
                ack: None,
                auth_tries: 0,
                from_load: false,
            })),
            ..Call::new(generation, CallState::Calling, dialog, now, peer)
        });
        self.stats.uac.placed += 1;
        self.stats.active_calls += 1;
        self.stats.peak_active_calls = self.stats.peak_active_calls.max(self.stats.active_calls);
        self.send_invite(now, slot, None, out);
        Ok(slot)
    }

    /// A Call-ID whose hash this shard owns, so every response and
    /// in-dialog request lands here (a few tries: one in `shards` fits).
    fn own_call_id(&mut self) -> String {
        let token = self.next_id();
        let shards = usize::from(self.cfg.shards.max(1));
        let mut id = String::with_capacity(40);
        for attempt in 0u32.. {
            id.clear();
            id.push_str(&token);
            id.push('-');
            id.push_str(itoa::Buffer::new().format(attempt));
            id.push_str("@sipbench");
            if super::owner_shard(id.as_bytes(), shards) == usize::from(self.cfg.shard) {
                break;
            }
        }
        id
    }

    /// Sends the call's INVITE (again, with `auth` = (header, credentials)
    /// after a challenge) through a new client transaction.
    pub(crate) fn send_invite(
        &mut self,
        now: Instant,
        call: usize,
        auth: Option<(&str, &str)>,
        out: &mut Outbox,
    ) {
        let branch = format!("z9hG4bK{}", &*self.next_id());
        let generation = self.next_generation();
        let local = self.cfg.local.to_string();
        let Some(c) = self.calls.get(call) else { return };
        let Some(seq) = c.uac.as_ref().map(|l| l.invite_cseq) else { return };
        let body = self.sdp.offer(c.local_port.unwrap_or(9), c.sdp_version, false);
        let d = &c.dialog;
        let mut b = dialog_request(&mut self.writer, d, "INVITE", d.remote_target(), seq, &local, &branch)
            .contact(&self.sdp.contact)
            .header("Allow", super::respond::ALLOW)
            .header("User-Agent", &self.cfg.user_agent);
        if let Some((name, value)) = auth {
            b = b.header(name, value);
        }
        let peer = d.source;
        let Ok(msg) = Message::parse(b.body("application/sdp", &body)) else { return };
        let key = TxnKey::client(&branch, Method::Invite, "INVITE");
        let mut ctx =
            TxnCtx { now, wheel: &mut self.wheel, out: &mut out.datagrams, timers: &self.cfg.timers };
        let slot = self.ict.next_slot();
        let mut txn = InviteClientTxn::start(&mut ctx, slot, generation, peer, msg);
        txn.call = Some(call);
        self.ict.insert(key, txn);
        if let Some(leg) = self.calls.get_mut(call).and_then(|c| c.uac.as_mut()) {
            leg.invite_txn = (slot, generation);
        }
    }
}

impl OutgoingCall {
    /// Where the INVITE goes (the target's IP address and port), once
    /// target, From and To are known to be usable.
    pub fn destination(&self) -> Result<std::net::SocketAddr, CommandError> {
        name_addr(&self.from)?;
        name_addr(&self.to)?;
        target_addr(&self.target)
    }
}

/// Where a target URI's requests go: its host must be an IP address.
fn target_addr(target: &str) -> Result<std::net::SocketAddr, CommandError> {
    let refuse = CommandError::BadArgument("target must be a sip: URI naming an IP address");
    if target.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return Err(refuse);
    }
    let uri = Uri::parse(target).map_err(|_| refuse)?;
    let ip: std::net::IpAddr = match uri.host {
        Some(Host::V4(a)) => a.into(),
        Some(Host::V6(a)) => a.into(),
        _ => return Err(refuse),
    };
    Ok(std::net::SocketAddr::new(ip, uri.port.unwrap_or(5060)))
}

/// From/To values: a bare URI is bracketed; line breaks are refused
/// (header injection).
fn name_addr(v: &str) -> Result<Cow<'_, str>, CommandError> {
    if v.is_empty() || v.bytes().any(|b| b.is_ascii_control()) {
        return Err(CommandError::BadArgument("From/To must be a URI or name-addr on one line"));
    }
    Ok(if v.contains('<') { Cow::Borrowed(v) } else { Cow::Owned(format!("<{v}>")) })
}
