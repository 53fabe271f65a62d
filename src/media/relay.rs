//! A media thread's packet path: what arrives (RTP, RTCP, junk), echo and
//! bridge forwarding, paced playing, and the periodic RTCP reports and
//! timeout checks.

use std::cmp::Reverse;
use std::time::Instant;

use mio::Token;

use super::command::{MediaEvent, MediaEventKind, MediaMode};
use super::g711::FRAME_SAMPLES;
use super::worker::{FRAME, Worker};

fn slot_of(token: Token) -> (usize, bool) {
    ((token.0 - 1) / 2, (token.0 - 1) % 2 == 1)
}

impl Worker {
    pub(crate) fn on_readable(&mut self, token: Token, buf: &mut [u8]) {
        let (slot, is_rtcp) = slot_of(token);
        loop {
            let Some(s) = self.streams.get_mut(slot) else { return };
            let got = if is_rtcp { s.rtcp.recv_from(buf) } else { s.rtp.recv_from(buf) };
            let Ok((n, from)) = got else { return };
            let now = Instant::now();
            let data = &buf[..n];
            if is_rtcp || super::rtp::looks_like_rtcp(data) {
                if s.on_rtcp(now, data, from) {
                    self.totals.rtcp_in += 1;
                } else {
                    self.totals.malformed += 1;
                }
                continue;
            }
            if !s.on_rtp(now, data, from) {
                self.totals.malformed += 1;
                continue;
            }
            if let Some(press) = s.pressed.take() {
                let (owner, id, local_port) = (s.owner, s.id, s.local_port);
                (self.events)(MediaEvent { owner, id, local_port, kind: MediaEventKind::Dtmf(press) });
            }
            self.totals.packets_in += 1;
            self.totals.bytes_in += n as u64;
            let sent = match s.partner {
                Some(p) => match self.streams.get_mut(p) {
                    Some(p) => match p.remote.filter(|_| p.send) {
                        Some(to) => p.send_to(data, to),
                        None => false,
                    },
                    None => false,
                },
                None if s.mode == MediaMode::Echo && s.send => s.send_to(data, from),
                None => false,
            };
            if sent {
                let took = now.elapsed().as_nanos() as u64;
                let _ = self.echo_ns.record(took.max(1));
                self.totals.packets_out += 1;
                self.totals.bytes_out += n as u64;
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
            if s.mode != MediaMode::Play {
                continue; // switched away: leaves the schedule
            }
            if s.partner.is_some() {
                // Bridged: the partner's media replaces ours for now.
                self.schedule.push(Reverse((now + FRAME, slot, port)));
                continue;
            }
            let frame = &self.frames[usize::from(s.payload_type == 8)];
            if s.play(frame) {
                self.totals.packets_out += 1;
                self.totals.bytes_out += (12 + FRAME_SAMPLES) as u64;
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
            s.rtcp_due(now);
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
