//! SRTP offer/answer in the core (RFC 4568 SDES), sans-IO: the policy's
//! 488s, the suite and tag we answer with, our own key, the keys the
//! media layer gets, re-keying on re-INVITE, our offers as a caller, and
//! that no key shows in Debug output of commands or events.

mod common;

use std::time::Duration;

use common::pair::{Net, Pair};
use common::{Harness, UacCall, labels, only, reply};
use sipbench::core::{
    CallHandle, Command, CoreConfig, EventKind, MediaCommand, OnHold, OutgoingCall, SrtpPolicy,
};
use sipbench::dialog::CallPolicy;
use sipbench::media::{CryptoAttribute, SrtpKeys, SrtpSuite};
use sipbench::sip::Message;
use sipbench::sip::sdp;

const CM80: SrtpSuite = SrtpSuite::AesCm128HmacSha1_80;
const CM32: SrtpSuite = SrtpSuite::AesCm128HmacSha1_32;

fn answering(srtp: SrtpPolicy) -> Harness {
    let policy = CallPolicy { ring: Duration::ZERO, answer: Duration::ZERO, ..CallPolicy::default() };
    Harness::new(CoreConfig { policy, srtp, ..CoreConfig::default() })
}

/// `a=crypto:` lines for these attributes.
fn crypto_lines(attrs: &[CryptoAttribute]) -> String {
    attrs
        .iter()
        .map(|a| {
            let mut v = Vec::new();
            a.write_value(&mut v);
            format!("a=crypto:{}\r\n", String::from_utf8(v).unwrap())
        })
        .collect()
}

/// An offer with one audio stream on `proto` carrying `extra` lines.
fn offer(proto: &str, extra: &str) -> String {
    format!(
        "v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
         m=audio 6000 {proto} 0\r\na=rtpmap:0 PCMU/8000\r\n{extra}"
    )
}

/// The `a=crypto` attributes of a body's first stream.
fn cryptos(body: &[u8]) -> Vec<CryptoAttribute> {
    let s = sdp::parse(body).unwrap();
    s.media[0].crypto_values().map(|v| CryptoAttribute::parse(v).unwrap()).collect()
}

/// The key text (base64 of key||salt) of an attribute.
fn inline(a: &CryptoAttribute) -> String {
    let mut v = Vec::new();
    a.write_value(&mut v);
    String::from_utf8(v).unwrap().split("inline:").nth(1).unwrap().to_owned()
}

fn invite_with(uac: &UacCall, body: &str) -> bytes::Bytes {
    uac.invite_with("", Some(("application/sdp", body)))
}

fn opened(media: &[MediaCommand]) -> Option<SrtpKeys> {
    media.iter().find_map(|m| match m {
        MediaCommand::Open { srtp, .. } => Some(srtp.as_deref().cloned()),
        _ => None,
    })?
}

#[test]
fn a_savp_offer_is_answered_with_the_first_usable_suite_and_our_own_key() {
    let mut h = answering(SrtpPolicy::Optional);
    let theirs = [CryptoAttribute::offer(2, CM32).unwrap(), CryptoAttribute::offer(3, CM80).unwrap()];
    // An unknown suite first: skipped, not refused.
    let extra = format!(
        "a=crypto:1 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm\r\n{}",
        crypto_lines(&theirs)
    );
    let mut uac = UacCall::new(1);
    let out = h.send(invite_with(&uac, &offer("RTP/SAVP", &extra)));
    let ok = only(&out, "200 INVITE");
    uac.learn_tag(ok);
    let body = std::str::from_utf8(ok.body()).unwrap();
    assert!(body.contains("m=audio ") && body.contains(" RTP/SAVP 0\r\n"), "{body}");
    let ours = cryptos(ok.body());
    assert_eq!(ours.len(), 1, "one answer line: {body}");
    assert_eq!((ours[0].tag, ours[0].suite), (2, CM32), "the first usable offer, same tag");
    assert_ne!(inline(&ours[0]), inline(&theirs[0]), "our own key, not an echo");
    let keys = opened(&h.media).expect("the stream opens encrypted");
    assert_eq!(keys.suite(), CM32);
    assert_eq!(keys.inbound(), &theirs[0].keys[..], "what arrives is theirs");
    assert_eq!(keys.outbound(), &ours[0].keys[0], "what we send is ours");
    let events = h.take_events();
    assert!(
        events.iter().any(|e| matches!(e, EventKind::MediaStarted { srtp: Some(CM32), .. })),
        "{events:?}"
    );
    // Nothing a log or the application sees shows either key.
    let shown = format!("{:?} {:?} {events:?}", h.media, keys);
    for k in [inline(&theirs[0]), inline(&ours[0])] {
        assert!(!shown.contains(&k) && !shown.contains(&k[..12]), "a key in Debug output: {shown}");
    }
    h.send(uac.ack_2xx(1));
    assert_eq!(labels(&h.send(uac.in_dialog("BYE", None))), ["200 BYE"]);
    h.drain();
}

#[test]
fn the_policy_refuses_with_488_what_it_must_and_follows_the_offer_otherwise() {
    let savp = offer("RTP/SAVP", &crypto_lines(&[CryptoAttribute::offer(1, CM80).unwrap()]));
    let savpf = offer("RTP/SAVPF", &crypto_lines(&[CryptoAttribute::offer(1, CM80).unwrap()]));
    let avp = offer("RTP/AVP", "");
    let unknown_suite = offer(
        "RTP/SAVP",
        "a=crypto:1 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm\r\n",
    );
    let no_crypto = offer("RTP/SAVP", "");
    let none = String::new();
    let cases = [
        (SrtpPolicy::Mandatory, &avp, "488 INVITE", None),
        (SrtpPolicy::Mandatory, &savp, "200 INVITE", Some(CM80)),
        (SrtpPolicy::Mandatory, &savpf, "200 INVITE", Some(CM80)),
        (SrtpPolicy::Off, &savp, "488 INVITE", None),
        (SrtpPolicy::Off, &avp, "200 INVITE", None),
        (SrtpPolicy::Optional, &avp, "200 INVITE", None),
        (SrtpPolicy::Optional, &savp, "200 INVITE", Some(CM80)),
        (SrtpPolicy::Optional, &unknown_suite, "488 INVITE", None),
        (SrtpPolicy::Optional, &no_crypto, "488 INVITE", None),
        // No offer: ours would be answered in the ACK, which settles no keys.
        (SrtpPolicy::Mandatory, &none, "488 INVITE", None),
        (SrtpPolicy::Optional, &none, "200 INVITE", None),
    ];
    for (i, (policy, body, status, suite)) in cases.into_iter().enumerate() {
        let mut h = answering(policy);
        let uac = UacCall::new(i as u64 + 1);
        let invite = if body.is_empty() { uac.invite_with("", None) } else { invite_with(&uac, body) };
        let out = h.send(invite);
        assert_eq!(labels(&out), [status], "{policy} {body}");
        assert_eq!(opened(&h.media).map(|k| k.suite()), suite, "{policy} {body}");
        if status == "200 INVITE" {
            assert_eq!(cryptos(out[0].body()).first().map(|a| a.suite), suite, "{policy}");
        }
    }
}

#[test]
fn with_srtp_off_an_offer_of_both_gets_the_plain_stream() {
    let mut h = answering(SrtpPolicy::Off);
    let both = format!(
        "{}m=audio 6002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n",
        offer("RTP/SAVP", &crypto_lines(&[CryptoAttribute::offer(1, CM80).unwrap()]))
    );
    let out = h.send(invite_with(&UacCall::new(1), &both));
    let answer = sdp::parse(only(&out, "200 INVITE").body()).unwrap();
    assert_eq!(answer.media[0].port, 0, "the secure stream is refused");
    assert!(answer.media[1].port != 0 && answer.media[1].is_plain_rtp());
    assert!(answer.media.iter().all(|m| m.crypto_values().next().is_none()));
    assert_eq!(opened(&h.media), None);
}

#[test]
fn a_re_invite_with_new_keys_re_keys_the_stream_and_one_without_keeps_them() {
    let mut h = answering(SrtpPolicy::Optional);
    let first = CryptoAttribute::offer(1, CM80).unwrap();
    let mut uac = UacCall::new(1);
    let out = h.send(invite_with(&uac, &offer("RTP/SAVP", &crypto_lines(std::slice::from_ref(&first)))));
    uac.learn_tag(&out[0]);
    let ours = cryptos(out[0].body()).remove(0);
    h.send(uac.ack_2xx(1));
    h.media.clear();

    // Hold with the same key: we keep ours, nothing re-keys.
    let hold = offer("RTP/SAVP", &format!("{}a=sendonly\r\n", crypto_lines(std::slice::from_ref(&first))));
    let out = h.send(uac.in_dialog("INVITE", Some(("application/sdp", &hold))));
    let again = cryptos(only(&out, "200 INVITE").body()).remove(0);
    assert_eq!(inline(&again), inline(&ours), "the same key while theirs stays");
    h.send(uac.ack_2xx(uac.cseq));
    assert!(!h.media.iter().any(|m| matches!(m, MediaCommand::Rekey { .. })), "{:?}", h.media);

    // Resume with a new key of another suite: both directions re-key.
    let next = CryptoAttribute::offer(4, CM32).unwrap();
    let resume = offer("RTP/SAVP", &crypto_lines(std::slice::from_ref(&next)));
    let out = h.send(uac.in_dialog("INVITE", Some(("application/sdp", &resume))));
    let fresh = cryptos(only(&out, "200 INVITE").body()).remove(0);
    assert_eq!((fresh.tag, fresh.suite), (4, CM32));
    assert_ne!(inline(&fresh), inline(&ours));
    h.send(uac.ack_2xx(uac.cseq));
    let rekeys: Vec<&SrtpKeys> = h
        .media
        .iter()
        .filter_map(|m| match m {
            MediaCommand::Rekey { srtp: Some(k), .. } => Some(&**k),
            _ => None,
        })
        .collect();
    assert_eq!(rekeys.len(), 1, "{:?}", h.media);
    assert_eq!((rekeys[0].inbound(), rekeys[0].outbound()), (&next.keys[..], &fresh.keys[0]));

    // A plain re-offer under `optional`: the stream goes plain.
    h.media.clear();
    let out = h.send(uac.in_dialog("INVITE", Some(("application/sdp", &offer("RTP/AVP", "")))));
    only(&out, "200 INVITE");
    h.send(uac.ack_2xx(uac.cseq));
    assert!(matches!(h.media[..], [MediaCommand::Rekey { srtp: None, .. }]), "{:?}", h.media);
    h.send(uac.in_dialog("BYE", None));
    h.drain();
}

fn call() -> OutgoingCall {
    OutgoingCall::new("sip:bob@127.0.0.1:5061").from("sip:alice@127.0.0.1").to("sip:bob@127.0.0.1")
}

#[test]
fn our_offers_carry_keys_when_srtp_is_mandatory_and_the_answer_keys_the_stream() {
    let mut plain = Harness::new(CoreConfig { srtp: SrtpPolicy::Optional, ..CoreConfig::default() });
    let (_, sent) = plain.place(&call());
    let body = std::str::from_utf8(only(&sent, "INVITE").body()).unwrap().to_owned();
    assert!(body.contains(" RTP/AVP ") && !body.contains("a=crypto"), "{body}");

    let mut h = Harness::new(CoreConfig { srtp: SrtpPolicy::Mandatory, ..CoreConfig::default() });
    let (handle, sent) = h.place(&call());
    let invite = only(&sent, "INVITE").clone();
    assert!(std::str::from_utf8(invite.body()).unwrap().contains(" RTP/SAVP "));
    let offered = cryptos(invite.body());
    let named: Vec<(u32, SrtpSuite)> = offered.iter().map(|a| (a.tag, a.suite)).collect();
    assert_eq!(named, [(1, CM80), (2, CM32), (3, SrtpSuite::AeadAes128Gcm)]);
    let theirs = CryptoAttribute::offer(2, CM32).unwrap();
    let answer = offer("RTP/SAVP", &crypto_lines(std::slice::from_ref(&theirs)));
    h.send(reply(&invite, 200, Some("b1"), "Contact: <sip:bob@127.0.0.1:5061>\r\n", Some(&answer)));
    let keys = opened(&h.media).expect("an encrypted stream");
    assert_eq!((keys.inbound(), keys.outbound()), (&theirs.keys[..], &offered[1].keys[0]));

    // Our hold re-offers the call's suite with a fresh key; the answer re-keys.
    h.media.clear();
    let sent = h.command(Command::Hold(handle, OnHold::Silence)).unwrap();
    let reinvite = only(&sent, "INVITE").clone();
    let reoffer = cryptos(reinvite.body());
    assert_eq!(reoffer.iter().map(|a| (a.tag, a.suite)).collect::<Vec<_>>(), [(1, CM32)]);
    assert_ne!(inline(&reoffer[0]), inline(&offered[1]), "a fresh key");
    let theirs2 = CryptoAttribute::offer(1, CM32).unwrap();
    let answer =
        offer("RTP/SAVP", &format!("{}a=recvonly\r\n", crypto_lines(std::slice::from_ref(&theirs2))));
    h.send(reply(&reinvite, 200, Some("b1"), "", Some(&answer)));
    let rekey = h.media.iter().find_map(|m| match m {
        MediaCommand::Rekey { srtp: Some(k), .. } => Some((**k).clone()),
        _ => None,
    });
    let rekey = rekey.expect("the answer re-keys the stream");
    assert_eq!((rekey.inbound(), rekey.outbound()), (&theirs2.keys[..], &reoffer[0].keys[0]));
}

#[test]
fn an_answer_without_a_matching_key_opens_no_stream_and_ends_the_call() {
    let mut h = Harness::new(CoreConfig { srtp: SrtpPolicy::Mandatory, ..CoreConfig::default() });
    let (_, sent) = h.place(&call());
    let invite = only(&sent, "INVITE").clone();
    // Tag 9 was never offered.
    let answer = offer("RTP/SAVP", &crypto_lines(&[CryptoAttribute::offer(9, CM80).unwrap()]));
    let sent =
        h.send(reply(&invite, 200, Some("b1"), "Contact: <sip:bob@127.0.0.1:5061>\r\n", Some(&answer)));
    assert!(!h.media.iter().any(|m| matches!(m, MediaCommand::Open { .. })), "{:?}", h.media);
    assert_eq!(labels(&sent), ["ACK", "BYE"], "the call may not run unencrypted");
    let events = h.take_events();
    assert!(events.iter().any(|e| matches!(e, EventKind::Error { detail, .. } if detail.contains("SRTP"))));
}

const ADDRS: [&str; 2] = ["127.0.0.1:5070", "127.0.0.1:5080"];

/// Both ends' latest keys mirror each other: what one sends, the other
/// receives with.
fn mirrored(p: &Pair) -> (SrtpKeys, SrtpKeys) {
    let latest = |n: usize| {
        p.nodes[n]
            .media
            .iter()
            .rev()
            .find_map(|m| match m {
                MediaCommand::Open { srtp, .. } | MediaCommand::Rekey { srtp, .. } => {
                    Some(srtp.as_deref().cloned())
                }
                _ => None,
            })
            .flatten()
            .expect("keys")
    };
    let (a, b) = (latest(0), latest(1));
    assert_eq!(a.inbound(), std::slice::from_ref(b.outbound()));
    assert_eq!(b.inbound(), std::slice::from_ref(a.outbound()));
    (a, b)
}

#[test]
fn two_cores_agree_on_keys_through_a_call_hold_and_resume() {
    let cfg = |n: usize, srtp| {
        let policy =
            CallPolicy { ring: Duration::ZERO, answer: Duration::from_millis(50), ..CallPolicy::default() };
        CoreConfig { local: ADDRS[n].parse().unwrap(), policy, srtp, ..CoreConfig::default() }
    };
    let net = Net::new(7, 0, (1, 3));
    let mut p = Pair::new(net, vec![cfg(0, SrtpPolicy::Mandatory), cfg(1, SrtpPolicy::Optional)]);
    let a = p.place(0, OutgoingCall::new(&format!("sip:bob@{}", ADDRS[1])));
    let limit = Duration::from_secs(10);
    let up = |p: &Pair| p.nodes[0].saw(a, &EventKind::Established) && p.nodes[1].first_incoming().is_some();
    assert!(p.run_until(limit, up));
    let (first, _) = mirrored(&p);
    assert_eq!(first.suite(), CM80, "the first suite of the caller's offer");
    let b: CallHandle = p.nodes[1].first_incoming().unwrap();
    p.command(0, Command::Hold(a, OnHold::Music)).unwrap();
    assert!(
        p.run_until(limit, |p| p.nodes[1].saw(b, &EventKind::Held) && p.nodes[0].saw(a, &EventKind::Held))
    );
    p.run_for(Duration::from_millis(100));
    let (held, _) = mirrored(&p);
    assert_ne!(held.outbound(), first.outbound(), "our re-offer re-keyed what we send");
    p.command(0, Command::Resume(a)).unwrap();
    assert!(p.run_until(limit, |p| p.nodes[1].saw(b, &EventKind::Resumed)));
    p.run_for(Duration::from_millis(100));
    mirrored(&p);
    let sent: Vec<&Message> = p.nodes[0].sent.iter().filter(|m| m.method_name() == "INVITE").collect();
    assert_eq!(sent.len(), 3, "INVITE, hold, resume");
    p.command(0, Command::Hangup(a)).unwrap();
    assert!(p.run_until(limit, |p| p.nodes[0].ended(a).is_some() && p.nodes[1].ended(b).is_some()));
    p.drain();
}

#[test]
fn our_session_refresh_by_re_invite_offers_a_fresh_key_and_its_answer_re_keys() {
    let policy = CallPolicy { ring: Duration::ZERO, answer: Duration::ZERO, ..CallPolicy::default() };
    let session_timer = Some(sipbench::core::SessionTimerConfig {
        session_expires: Duration::from_secs(1800),
        min_se: Duration::from_secs(90),
        we_refresh: true,
    });
    let mut h = Harness::new(CoreConfig { policy, session_timer, ..CoreConfig::default() });
    let first = CryptoAttribute::offer(1, CM80).unwrap();
    let mut uac = UacCall::new(1);
    // No UPDATE in Allow: our refresh is a re-INVITE, which must carry an offer.
    let extra = "Allow: INVITE, ACK, BYE, CANCEL\r\nSession-Expires: 100;refresher=uas\r\n";
    let body = offer("RTP/SAVP", &crypto_lines(std::slice::from_ref(&first)));
    let out = h.send(uac.invite_with(extra, Some(("application/sdp", &body))));
    let ok = only(&out, "200 INVITE");
    uac.learn_tag(ok);
    let ours = cryptos(ok.body()).remove(0);
    h.send(uac.ack_2xx(1));
    h.media.clear();

    let (_, sent) = h.next_send(Duration::from_secs(100)).expect("our refresh");
    let inv = only(&sent, "INVITE");
    let text = std::str::from_utf8(inv.body()).unwrap();
    assert!(text.contains(" RTP/SAVP "), "the refresh offers the encrypted stream: {text}");
    let offered = cryptos(inv.body());
    assert_eq!(offered.len(), 1, "{text}");
    assert_eq!(offered[0].suite, CM80, "the call's suite");
    assert_ne!(inline(&offered[0]), inline(&ours), "a fresh key of ours");

    let next = CryptoAttribute::offer(offered[0].tag, CM80).unwrap();
    let answer = offer("RTP/SAVP", &crypto_lines(std::slice::from_ref(&next)));
    let out = h.send(reply(inv, 200, None, "", Some(&answer)));
    assert_eq!(labels(&out), ["ACK"]);
    let rekeyed = h.media.iter().find_map(|m| match m {
        MediaCommand::Rekey { srtp: Some(k), .. } => Some(k.clone()),
        _ => None,
    });
    let keys = rekeyed.expect("the refresh's answer re-keys the stream");
    assert_eq!((keys.inbound(), keys.outbound()), (&next.keys[..], &offered[0].keys[0]));
    h.send(uac.in_dialog("BYE", None));
    h.drain();
}
