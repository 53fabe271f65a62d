//! A media thread's packet path: what arrives (RTP, RTCP, junk; SRTP
//! authenticated and decrypted first), echo and bridge forwarding, paced playing, and the periodic RTCP reports and
//! timeout checks.

use std::cmp::Reverse;
use std::time::Instant;

use mio::Token;

use super::command::{MediaEvent, MediaEventKind, MediaMode};
use super::srtp::SRTP_MAX_TRAILER;
use super::worker::{FRAME, Worker};

fn slot_of(token: Token) -> (usize, bool) {
    ((token.0 - 1) / 2, (token.0 - 1) % 2 == 1)
}

impl Worker {
    pub(crate) fn on_readable(&mut self, token: Token, buf: &mut [u8]) {
        let (slot, is_rtcp) = slot_of(token);
        // Room behind what arrives for the trailer protecting adds.
        let room = buf.len() - SRTP_MAX_TRAILER;
        loop {
            let Some(s) = self.streams.get_mut(slot) else { return };
            let got =
                if is_rtcp { s.rtcp.recv_from(&mut buf[..room]) } else { s.rtp.recv_from(&mut buf[..room]) };
            let Ok((n, from)) = got else { return };
            let now = Instant::now();
            let rtcp = is_rtcp || super::rtp::looks_like_rtcp(&buf[..n]);
            // SRTP first: nothing unauthenticated is looked at, latched,
            // echoed or relayed.
            let Some(m) = s.unprotect(&mut buf[..n], rtcp, &mut self.totals) else { continue };
            if rtcp {
                if s.on_rtcp(now, &buf[..m], from) {
                    self.totals.rtcp_in += 1;
                } else {
                    self.totals.malformed += 1;
                }
                continue;
            }
            if !s.on_rtp(now, &buf[..m], n, from) {
                self.totals.malformed += 1;
                continue;
            }
            if let Some(press) = s.pressed.take() {
                let (owner, id, local_port) = (s.owner, s.id, s.local_port);
                (self.events)(MediaEvent { owner, id, local_port, kind: MediaEventKind::Dtmf(press) });
            }
            self.totals.packets_in += 1;
            self.totals.bytes_in += n as u64;
            // Bridged: out of the partner with its keys; echo: back with ours.
            let sent = match s.partner {
                Some(p) => match self.streams.get_mut(p) {
                    Some(p) => match p.remote.filter(|_| p.send && !p.music) {
                        Some(to) => p.send_rtp(buf, m, to, &mut self.totals),
                        None => None,
                    },
                    None => None,
                },
                None if s.mode == MediaMode::Echo && s.send && !s.music => {
                    s.send_rtp(buf, m, from, &mut self.totals)
                }
                None => None,
            };
            if let Some(out) = sent {
                let took = now.elapsed().as_nanos() as u64;
                let _ = self.echo_ns.record(took.max(1));
                self.totals.packets_out += 1;
                self.totals.bytes_out += out as u64;
            }
        }
    }

    pub(crate) fn play_due(&mut self, now: Instant) {
        while let Some(&Reverse((at, slot, port))) = self.schedule.peek() {
            if at > now {
                return;
            }
            self.schedule.pop();
            let Some(s) = self.streams.get_mut(slot).filter(|s| s.local_port == port) else { continue };
            if s.mode != MediaMode::Play && !s.music {
                continue; // switched away: leaves the schedule
            }
            if s.partner.is_some() && !s.music {
                // Bridged: the partner's media replaces ours for now.
                self.schedule.push(Reverse((now + FRAME, slot, port)));
                continue;
            }
            let frame = &self.frames[usize::from(s.payload_type == 8)];
            if let Some(out) = s.play(frame, &mut self.totals) {
                self.totals.packets_out += 1;
                self.totals.bytes_out += out as u64;
            }
            // Keep the 20 ms grid; after a long stall, restart it from now.
            let next = if now.saturating_duration_since(at) > 10 * FRAME { now + FRAME } else { at + FRAME };
            self.schedule.push(Reverse((next, slot, port)));
        }
    }

    pub(crate) fn housekeeping(&mut self, now: Instant) {
        let mut timed_out = Vec::new();
        for (_, s) in self.streams.iter_mut() {
            let before = s.counts.rtcp_out;
            s.rtcp_due(now, &mut self.totals);
            self.totals.rtcp_out += s.counts.rtcp_out - before;
            let silent = now.saturating_duration_since(s.last_rx);
            if let Some(limit) = self.timeout
                && s.send
                && !s.timed_out
                && silent > limit
            {
                s.timed_out = true;
                timed_out.push((s.owner, s.id, s.local_port));
            }
        }
        for (owner, id, local_port) in timed_out {
            self.totals.timeouts += 1;
            (self.events)(MediaEvent { owner, id, local_port, kind: MediaEventKind::Timeout });
        }
    }
}
