//! The UAC role, sans-IO: placing calls, early dialogs and forking,
//! ACK of 2xx retransmissions, CANCEL, digest challenges, rejections and
//! Timer B, with a fake clock.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Harness, label, labels, ms, only, pcmu_offer, reply};
use sipbench::core::{Command, CoreConfig, Credentials, EventKind, MediaCommand, OnHold, OutgoingCall};
use sipbench::dialog::EndReason;
use sipbench::runtime::{LoadPacer, LoadPlan};
use sipbench::sip::{HeaderName, Message};

const TARGET: &str = "sip:bob@127.0.0.1:5061";

fn call() -> OutgoingCall {
    OutgoingCall::new(TARGET).from("sip:alice@127.0.0.1").to("sip:bob@127.0.0.1")
}

fn contact(port: u16) -> String {
    format!("Contact: <sip:bob@127.0.0.1:{port}>\r\n")
}

fn terminated(events: &[EventKind]) -> Vec<EndReason> {
    events
        .iter()
        .filter_map(|e| match e {
            EventKind::Terminated { reason, .. } => Some(*reason),
            _ => None,
        })
        .collect()
}

#[test]
fn placed_call_is_answered_acked_and_hung_up() {
    let mut h = Harness::new(CoreConfig::default());
    let c = call().hang_up_after(Duration::from_secs(1));
    let (_, sent) = h.place(&c);
    let invite = only(&sent, "INVITE").clone();
    assert_eq!(invite.request_uri(), TARGET);
    assert!(invite.from_tag().unwrap().is_some(), "From carries our tag");
    assert_eq!(invite.to_tag().unwrap(), None);
    assert!(std::str::from_utf8(invite.body()).unwrap().contains("m=audio"), "an SDP offer");
    assert!(h.send(reply(&invite, 100, None, "", None)).is_empty());
    assert!(h.send(reply(&invite, 180, Some("b1"), "", None)).is_empty());
    let rr = "Record-Route: <sip:127.0.0.2:5070;lr>, <sip:127.0.0.3:5080;lr>\r\n";
    let ok = reply(&invite, 200, Some("b1"), &(contact(5062) + rr), Some(&pcmu_offer()));
    let sent = h.send(ok.clone());
    let ack = only(&sent, "ACK");
    // RFC 3261 §12.1.2: the route set is the Record-Route list reversed.
    let routes: Vec<&str> = ack.list(HeaderName::Route).collect();
    assert_eq!(routes, ["<sip:127.0.0.3:5080;lr>", "<sip:127.0.0.2:5070;lr>"]);
    assert_eq!(ack.request_uri(), "sip:bob@127.0.0.1:5062", "the remote target is the 2xx Contact");
    assert_eq!(ack.to_tag().unwrap(), Some("b1"));
    assert_eq!(ack.cseq().unwrap().seq, 1);
    // A retransmitted 2xx gets the same ACK again (§13.2.2.4).
    let again = h.send(ok);
    assert_eq!(only(&again, "ACK").as_bytes(), ack.as_bytes());
    assert!(
        matches!(h.media[..], [MediaCommand::Open { remote: Some(r), payload_type: 0, .. }] if r.port() == 6000)
    );
    let events = h.take_events();
    assert!(events.contains(&EventKind::Ringing) && events.contains(&EventKind::Established), "{events:?}");
    let sent = h.advance(ms(1000));
    let bye = sent.iter().map(|(_, m)| m).find(|m| label(m) == "BYE").expect("BYE after the duration");
    assert_eq!(bye.cseq().unwrap().seq, 2);
    assert_eq!(bye.to_tag().unwrap(), Some("b1"));
    h.send(reply(bye, 200, Some("b1"), "", None));
    assert_eq!(terminated(&h.take_events()), [EndReason::LocalBye]);
    let s = h.core.stats().uac;
    assert_eq!((s.placed, s.answered, s.completed, s.failed()), (1, 1, 1, 0));
    h.drain();
}

#[test]
fn forked_invite_confirms_the_first_2xx_and_releases_the_other() {
    let mut h = Harness::new(CoreConfig::default());
    let (handle, sent) = h.place(&call());
    let invite = only(&sent, "INVITE").clone();
    h.send(reply(&invite, 180, Some("fork-a"), &contact(5062), None));
    h.send(reply(&invite, 180, Some("fork-b"), &contact(5063), None));
    let a = h.send(reply(&invite, 200, Some("fork-a"), &contact(5062), Some(&pcmu_offer())));
    assert_eq!(only(&a, "ACK").to_tag().unwrap(), Some("fork-a"));
    let b = reply(&invite, 200, Some("fork-b"), &contact(5063), Some(&pcmu_offer()));
    let sent = h.send(b.clone());
    assert_eq!(labels(&sent), ["ACK", "BYE"], "the extra 2xx is ACKed and ended");
    for m in &sent {
        assert_eq!(m.to_tag().unwrap(), Some("fork-b"));
        assert_eq!(m.request_uri(), "sip:bob@127.0.0.1:5063");
    }
    let fork_bye = sent[1].clone();
    // Its 2xx again: the ACK again, no second BYE.
    assert_eq!(labels(&h.send(b)), ["ACK"]);
    h.send(reply(&fork_bye, 200, Some("fork-b"), "", None));
    assert_eq!(h.core.stats().uac.forks_released, 1);
    let events = h.take_events();
    assert!(terminated(&events).is_empty(), "the confirmed call goes on: {events:?}");
    let sent = h.command(Command::Hangup(handle)).unwrap();
    let bye = only(&sent, "BYE");
    assert_eq!(bye.to_tag().unwrap(), Some("fork-a"));
    h.send(reply(bye, 200, Some("fork-a"), "", None));
    assert_eq!(terminated(&h.take_events()), [EndReason::LocalBye]);
    h.drain();
}

#[test]
fn hangup_before_the_answer_cancels_after_the_first_provisional() {
    let mut h = Harness::new(CoreConfig::default());
    let (call, sent) = h.place(&call());
    let invite = only(&sent, "INVITE").clone();
    // §9.1: no CANCEL before a provisional response arrived.
    assert!(h.command(Command::Hangup(call)).unwrap().is_empty());
    let sent = h.send(reply(&invite, 100, None, "", None));
    let cancel = only(&sent, "CANCEL");
    assert_eq!(cancel.header(HeaderName::Via), invite.header(HeaderName::Via));
    assert_eq!(cancel.cseq().unwrap().seq, 1);
    h.send(reply(cancel, 200, Some("b1"), "", None));
    let sent = h.send(reply(&invite, 487, Some("b1"), "", None));
    assert_eq!(labels(&sent), ["ACK"]);
    assert_eq!(terminated(&h.take_events()), [EndReason::Cancelled]);
    assert_eq!(h.core.stats().uac.cancelled, 1);
    h.drain();
}

#[test]
fn a_2xx_crossing_our_cancel_is_acked_and_ended() {
    let mut h = Harness::new(CoreConfig::default());
    let (call, sent) = h.place(&call());
    let invite = only(&sent, "INVITE").clone();
    h.send(reply(&invite, 180, Some("b1"), "", None));
    let sent = h.command(Command::Hangup(call)).unwrap();
    let cancel = only(&sent, "CANCEL").clone();
    let sent = h.send(reply(&invite, 200, Some("b1"), &contact(5061), Some(&pcmu_offer())));
    assert_eq!(labels(&sent), ["ACK", "BYE"]);
    h.send(reply(&cancel, 481, Some("b1"), "", None));
    h.send(reply(&sent[1], 200, Some("b1"), "", None));
    assert_eq!(terminated(&h.take_events()), [EndReason::Cancelled]);
    h.drain();
}

fn challenge_and_answer(code: u16, header: &str) -> Message {
    let cfg = CoreConfig {
        credentials: Some(Credentials { user: "alice".into(), password: "secret".into() }),
        ..CoreConfig::default()
    };
    let mut h = Harness::new(cfg);
    let (_, sent) = h.place(&call());
    let invite = only(&sent, "INVITE").clone();
    let ch = format!(
        "{header}: Digest realm=\"sipbench.test\", nonce=\"abc123\", qop=\"auth\", algorithm=MD5\r\n"
    );
    let sent = h.send(reply(&invite, code, Some("b1"), &ch, None));
    assert_eq!(labels(&sent), ["ACK", "INVITE"], "the challenge is ACKed and the INVITE sent again");
    let again = sent[1].clone();
    assert_eq!(again.cseq().unwrap().seq, 2, "a new CSeq");
    assert_eq!(again.call_id(), invite.call_id());
    assert_eq!(again.from_tag().unwrap(), invite.from_tag().unwrap());
    assert_ne!(again.via().unwrap().branch(), invite.via().unwrap().branch(), "a new transaction");
    // A second challenge to the same credentials is a rejection.
    let sent = h.send(reply(&again, code, Some("b1"), &ch, None));
    assert_eq!(labels(&sent), ["ACK"]);
    assert_eq!(terminated(&h.take_events()), [EndReason::Rejected(code)]);
    assert_eq!(h.core.stats().uac.auth_retries, 1);
    h.drain();
    again
}

#[test]
fn digest_challenges_are_answered_once() {
    let inv = challenge_and_answer(401, "WWW-Authenticate");
    let auth = inv.header_by_name("Authorization").expect("Authorization");
    // RFC 2617 §3.2.2 with qop=auth, computed independently here.
    let cnonce = field(auth, "cnonce");
    let ha1 = md5_hex("alice:sipbench.test:secret");
    let ha2 = md5_hex(&format!("INVITE:{TARGET}"));
    let want = md5_hex(&format!("{ha1}:abc123:00000001:{cnonce}:auth:{ha2}"));
    assert_eq!(field(auth, "response"), want, "{auth}");
    assert_eq!(field(auth, "uri"), TARGET);
    let inv = challenge_and_answer(407, "Proxy-Authenticate");
    assert!(inv.header_by_name("Proxy-Authorization").is_some());
}

fn field<'a>(auth: &'a str, name: &str) -> &'a str {
    let at = auth.find(&format!("{name}=")).unwrap() + name.len() + 1;
    let v = auth[at..].trim_start_matches('"');
    &v[..v.find(['"', ',']).unwrap_or(v.len())]
}

fn md5_hex(s: &str) -> String {
    sipbench::sip::digest::hex_digest(sipbench::sip::digest::DigestAlgorithm::Md5, s.as_bytes())
}

#[test]
fn rejection_and_timer_b_end_the_call_with_their_reason() {
    let mut h = Harness::new(CoreConfig::default());
    let (_, sent) = h.place(&call());
    let invite = only(&sent, "INVITE").clone();
    assert_eq!(labels(&h.send(reply(&invite, 486, Some("b1"), "", None))), ["ACK"]);
    assert_eq!(terminated(&h.take_events()), [EndReason::Rejected(486)]);
    let s = h.core.stats().uac;
    assert_eq!(s.rejected_by_code.iter().collect::<Vec<_>>(), [(486, 1)]);
    h.drain();

    let mut h = Harness::new(CoreConfig::default());
    h.place(&call());
    let sent = h.advance(ms(40_000));
    let at: Vec<u64> = sent.iter().map(|(t, _)| t.as_millis() as u64).collect();
    assert_eq!(at, [500, 1500, 3500, 7500, 15_500, 31_500], "Timer A doubles from T1");
    let events = h.take_events();
    assert_eq!(terminated(&events), [EndReason::InviteTimeout]);
    assert!(events.iter().any(|e| matches!(e, EventKind::Error { .. })));
    assert_eq!(h.core.stats().uac.failed_invite_timeout, 1);
    h.drain();
}

#[test]
fn bad_targets_and_headers_are_refused() {
    let mut h = Harness::new(CoreConfig::default());
    for (target, from) in [
        ("sip:bob@example.com", "sip:a@b"),
        ("mailto:bob@127.0.0.1", "sip:a@b"),
        (TARGET, "sip:a@b\r\nX-Injected: 1"),
    ] {
        let c = Command::Place(Arc::new(OutgoingCall::new(target).from(from).to("sip:bob@127.0.0.1")));
        assert!(h.core.on_command(h.now, c, &mut h.out).is_err(), "{target} / {from:?}");
    }
    assert!(h.out.transmits.is_empty());
    h.drain();
}

/// A core driven by a load pacer, both on the harness's fake clock.
struct Paced {
    h: Harness,
    pacer: LoadPacer,
}

impl Paced {
    /// Runs the pacer and the core's timers up to `d` ahead, each at the
    /// instant it asked for; every datagram comes stamped.
    fn advance(&mut self, d: Duration) -> Vec<(Duration, Message)> {
        let target = self.h.now + d;
        let mut sent = Vec::new();
        loop {
            let due = [self.pacer.wake_at(), self.h.core.next_deadline()].into_iter().flatten().min();
            let Some(at) = due.filter(|&t| t <= target) else { break };
            self.h.now = self.h.now.max(at);
            self.pacer.place_due(self.h.now, &mut self.h.core, &mut self.h.out);
            self.h.core.on_timers(self.h.now, &mut self.h.out);
            let at = self.h.elapsed();
            sent.extend(self.h.collect().into_iter().map(|m| (at, m)));
        }
        self.h.now = target;
        sent
    }
}

fn load_core(rate: f64, max_calls: u64, concurrency: u64, cancel_percent: u8) -> Paced {
    let plan = LoadPlan { call: call(), rate, max_calls, concurrency, cancel_percent };
    let h = Harness::new(CoreConfig::default());
    let pacer = LoadPacer::new(plan, h.now);
    Paced { h, pacer }
}

fn invites(sent: &[(Duration, Message)]) -> Vec<(u64, Message)> {
    sent.iter()
        .filter(|(_, m)| label(m) == "INVITE")
        .map(|(t, m)| (t.as_millis() as u64, m.clone()))
        .collect()
}

#[test]
fn load_plan_paces_calls_at_the_rate() {
    let mut p = load_core(100.0, 10, 100, 0);
    let sent = invites(&p.advance(ms(300)));
    let at: Vec<u64> = sent.iter().map(|(t, _)| *t).collect();
    assert_eq!(at.len(), 10, "exactly max_calls: {at:?}");
    assert!(at.windows(2).all(|w| w[1] - w[0] >= 9), "one per 10 ms, no bursts: {at:?}");
    assert!(at[9] >= 89, "{at:?}");
    let ids: std::collections::HashSet<&str> = sent.iter().map(|(_, m)| m.call_id()).collect();
    assert_eq!(ids.len(), 10, "each call its own Call-ID");
    assert_eq!(p.h.core.stats().uac.placed, 10);
}

#[test]
fn load_plan_holds_its_concurrency_and_cancels_its_share() {
    let mut p = load_core(1000.0, 5, 2, 0);
    let first = invites(&p.advance(ms(50)));
    assert_eq!(first.len(), 2, "two at a time");
    p.h.send(reply(&first[0].1, 486, Some("x"), "", None));
    let next = invites(&p.advance(ms(5)));
    assert_eq!(next.len(), 1, "a call ended: room for one more");

    let mut p = load_core(1000.0, 4, 10, 50);
    let sent = invites(&p.advance(ms(10)));
    assert_eq!(sent.len(), 4);
    let mut cancels = 0;
    for (_, inv) in &sent {
        let out = p.h.send(reply(inv, 180, Some("r"), "", None));
        cancels += out.iter().filter(|m| label(m) == "CANCEL").count();
    }
    assert_eq!(cancels, 2, "50% of the calls are cancelled when they ring");
}

#[test]
fn placed_call_ids_hash_to_the_placing_shard() {
    for shard in 0..4u16 {
        let cfg = CoreConfig { shard, shards: 4, ..CoreConfig::default() };
        let mut h = Harness::new(cfg);
        for _ in 0..20 {
            let (_, sent) = h.place(&call());
            let id = only(&sent, "INVITE").call_id().to_owned();
            assert_eq!(sipbench::core::owner_shard(id.as_bytes(), 4), usize::from(shard), "{id}");
        }
    }
}

#[test]
fn caller_holds_and_resumes_with_re_invites() {
    let mut h = Harness::new(CoreConfig::default());
    let (handle, sent) = h.place(&call());
    let invite = only(&sent, "INVITE").clone();
    h.send(reply(&invite, 200, Some("b1"), &contact(5062), Some(&pcmu_offer())));
    for (cmd, dir, event) in [
        (Command::Hold(handle, OnHold::Music), "a=sendonly", EventKind::Held),
        (Command::Resume(handle), "a=sendrecv", EventKind::Resumed),
    ] {
        let sent = h.command(cmd).unwrap();
        let re = only(&sent, "INVITE").clone();
        assert_eq!(re.request_uri(), "sip:bob@127.0.0.1:5062");
        assert_eq!(re.to_tag().unwrap(), Some("b1"));
        assert!(std::str::from_utf8(re.body()).unwrap().contains(dir), "{dir}");
        let sent = h.send(reply(&re, 200, Some("b1"), &contact(5062), Some(&pcmu_offer())));
        assert_eq!(only(&sent, "ACK").cseq().unwrap().seq, re.cseq().unwrap().seq);
        assert!(h.take_events().contains(&event), "{event:?}");
    }
    let sent = h.command(Command::Hangup(handle)).unwrap();
    h.send(reply(only(&sent, "BYE"), 200, Some("b1"), "", None));
    h.drain();
}

#[test]
fn a_placed_call_carries_every_part_of_its_builder() {
    let cfg = CoreConfig {
        credentials: Some(Credentials { user: "engine".into(), password: "x".into() }),
        ..CoreConfig::default()
    };
    let mut h = Harness::new(cfg);
    let proxy: std::net::SocketAddr = "127.0.0.1:5080".parse().unwrap();
    let call = OutgoingCall::new("sip:bob@example.com")
        .from("sip:alice@127.0.0.1")
        .caller_name(r#"Alice "A" \ Ops"#)
        .callee_name("Bob")
        .header("X-Account", "42")
        .credentials("percall", "secret")
        .outbound_proxy(proxy);
    h.core.on_command(h.now, Command::Place(Arc::new(call)), &mut h.out).unwrap();
    assert_eq!(h.out.transmits[0].to.addr, proxy, "the INVITE goes to the outbound proxy");
    let sent = h.collect();
    let invite = only(&sent, "INVITE").clone();
    assert_eq!(invite.request_uri(), "sip:bob@example.com");
    let from = invite.from().unwrap();
    assert_eq!((from.display_name, from.uri), (Some(r#"Alice \"A\" \\ Ops"#), "sip:alice@127.0.0.1"));
    let to = invite.to().unwrap();
    assert_eq!((to.display_name, to.uri), (Some("Bob"), "sip:bob@example.com"));
    assert_eq!(invite.header_by_name("X-Account"), Some("42"));
    let ch = "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\", algorithm=MD5\r\n";
    let sent = h.send(reply(&invite, 401, Some("b1"), ch, None));
    let again = only(&sent, "INVITE");
    assert_eq!(
        field(again.header_by_name("Authorization").unwrap(), "username"),
        "percall",
        "the call's own credentials"
    );
    assert_eq!(again.header_by_name("X-Account"), Some("42"), "the headers go again with the credentials");
    h.drain();
}
