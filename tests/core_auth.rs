//! Digest authentication as a UAS (RFC 3261 §22, RFC 7616, RFC 8760) on
//! one core with a fake clock: challenges offering each hash, each hash
//! accepted, wrong passwords counted per source until 403, stale nonces
//! re-challenged with stale=true, replayed nonce counts refused, forged
//! nonces, HA1 secrets, 407 for a proxy-facing UAS, the failure penalty
//! on the source limiter, and our own UAC answering our own challenges.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::pair::{Net, Pair};
use common::*;
use sipbench::core::{
    AuthConfig, CoreConfig, EventKind, LimitAction, NonceKey, OutgoingCall, Secret, SourceLimit, UserTable,
};
use sipbench::dialog::EndReason;
use sipbench::sip::digest::{Challenge, DigestAlgorithm, hex_digest};
use sipbench::sip::{HeaderName, Message, Method};

const REALM: &str = "sipbench.test";
const URI: &str = "sip:service@127.0.0.1:5060";

fn users() -> UserTable {
    let ha1 = hex_digest(DigestAlgorithm::Md5, format!("bob:{REALM}:hunter2").as_bytes());
    UserTable::parse(&format!("alice:secret\n# a comment\n\nbob:{REALM}:{ha1}\n"), REALM).unwrap()
}

fn auth_cfg() -> AuthConfig {
    let mut a = AuthConfig::new(REALM, Arc::new(users()));
    a.algorithms = vec![DigestAlgorithm::Sha256, DigestAlgorithm::Md5, DigestAlgorithm::Sha512_256];
    a.nonce_lifetime = Duration::from_secs(30);
    a.max_failures = 3;
    a.failure_window = Duration::from_secs(60);
    a.key = NonceKey::from_bytes([7; 16]);
    a
}

fn harness(auth: AuthConfig) -> Harness {
    Harness::new(CoreConfig { auth: Some(auth), ..CoreConfig::default() })
}

fn statuses(out: &[Message]) -> Vec<u16> {
    out.iter().filter_map(|m| m.status_code()).collect()
}

/// The challenge for `alg` in a 401 (or 407 with `header`).
fn challenge_for(resp: &Message, header: HeaderName, alg: DigestAlgorithm) -> String {
    resp.header_values(header)
        .find(|v| Challenge::parse(v).is_some_and(|c| c.algorithm == alg))
        .unwrap_or_else(|| panic!("no {alg:?} challenge in {resp:?}"))
        .to_owned()
}

/// An INVITE of call `i` with credentials answering `challenge`.
fn invite_with_auth(c: &mut UacCall, challenge: &str, user: &str, password: &str, nc: u32) -> bytes::Bytes {
    let ch = Challenge::parse(challenge).unwrap();
    let value = ch.answer(user, password, "INVITE", URI, "c0ffee", nc);
    c.cseq += 1;
    c.invite_branch = c.new_branch();
    let extra = format!("Authorization: {value}\r\n");
    c.request("INVITE", &c.invite_branch.clone(), c.cseq, &extra, Some(("application/sdp", &pcmu_offer())))
}

/// Sends call `i`'s first INVITE, checks the 401, ACKs it: the 401.
fn challenged(h: &mut Harness, c: &mut UacCall) -> Message {
    let out = h.send(c.invite());
    let resp = only(&out, "401 INVITE").clone();
    c.learn_tag(&resp);
    assert!(h.send(c.ack_non2xx()).is_empty());
    c.to_tag = None;
    resp
}

#[test]
fn invite_is_challenged_offering_each_hash_and_each_one_is_accepted() {
    let mut h = harness(auth_cfg());
    for (i, alg) in
        [DigestAlgorithm::Sha256, DigestAlgorithm::Md5, DigestAlgorithm::Sha512_256].into_iter().enumerate()
    {
        let mut c = UacCall::new(i as u64);
        let resp = challenged(&mut h, &mut c);
        let offered: Vec<DigestAlgorithm> = resp
            .header_values(HeaderName::WwwAuthenticate)
            .map(|v| Challenge::parse(v).expect("a challenge we can read").algorithm)
            .collect();
        assert_eq!(offered, [DigestAlgorithm::Sha256, DigestAlgorithm::Md5, DigestAlgorithm::Sha512_256]);
        let ch = challenge_for(&resp, HeaderName::WwwAuthenticate, alg);
        let parsed = Challenge::parse(&ch).unwrap();
        assert!(parsed.qop_auth && !parsed.stale && parsed.realm == REALM, "{ch}");
        let out = h.send(invite_with_auth(&mut c, &ch, "alice", "secret", 1));
        assert_eq!(statuses(&out), [200], "{alg:?}: {:?}", labels(&out));
    }
    let s = h.core.stats().auth;
    assert_eq!((s.challenged, s.accepted, s.failed), (3, 3, 0));
    assert_eq!(h.core.stats().calls_received, 3, "only authenticated INVITEs make calls");
}

#[test]
fn in_dialog_requests_and_other_methods_pass_unchallenged() {
    let mut h = harness(auth_cfg());
    let mut c = UacCall::new(1);
    let resp = challenged(&mut h, &mut c);
    let ch = challenge_for(&resp, HeaderName::WwwAuthenticate, DigestAlgorithm::Md5);
    let out = h.send(invite_with_auth(&mut c, &ch, "alice", "secret", 1));
    c.learn_tag(&out[0]);
    let cseq = c.cseq;
    assert!(h.send(c.ack_2xx(cseq)).is_empty());
    assert_eq!(statuses(&h.send(c.in_dialog("BYE", None))), [200], "a BYE in the dialog needs nothing");
    let options = UacCall::new(9).request("OPTIONS", "z9hG4bK-opt", 1, "", None);
    assert_eq!(statuses(&h.send(options)), [200], "OPTIONS is not among the methods challenged");
    // Configured to, OPTIONS is challenged too.
    let mut a = auth_cfg();
    a.methods = vec![Method::Invite, Method::Options];
    let mut h = harness(a);
    let options = UacCall::new(9).request("OPTIONS", "z9hG4bK-opt", 1, "", None);
    assert_eq!(statuses(&h.send(options)), [401]);
}

#[test]
fn wrong_passwords_are_rechallenged_then_refused_403_per_source() {
    let mut h = harness(auth_cfg());
    let mut c = UacCall::new(1);
    let resp = challenged(&mut h, &mut c);
    let mut ch = challenge_for(&resp, HeaderName::WwwAuthenticate, DigestAlgorithm::Md5);
    // Failures 1 and 2 get a new challenge; the third reaches the limit.
    for attempt in 1..=3 {
        let out = h.send(invite_with_auth(&mut c, &ch, "alice", "guess", 1));
        let want = if attempt < 3 { 401 } else { 403 };
        assert_eq!(statuses(&out), [want], "attempt {attempt}");
        c.learn_tag(&out[0]);
        assert!(h.send(c.ack_non2xx()).is_empty());
        c.to_tag = None;
        if want == 401 {
            ch = challenge_for(&out[0], HeaderName::WwwAuthenticate, DigestAlgorithm::Md5);
        }
    }
    // Now even the right password from that source gets 403, without a
    // challenge; an unknown user is a failure like a wrong password.
    let out = h.send(invite_with_auth(&mut c, &ch, "alice", "secret", 1));
    assert_eq!(statuses(&out), [403]);
    let s = h.core.stats().auth;
    assert_eq!((s.failed, s.forbidden, s.accepted), (3, 2, 0));
    // Another source is not affected.
    let other = "127.0.0.9:5061".parse().unwrap();
    let mut d = UacCall::new(2);
    let resp = h.send_from(other, d.invite());
    let ch2 = challenge_for(&resp[0], HeaderName::WwwAuthenticate, DigestAlgorithm::Md5);
    assert_eq!(statuses(&h.send_from(other, invite_with_auth(&mut d, &ch2, "alice", "secret", 1))), [200]);
    // After a quiet window the source is served again.
    h.advance(Duration::from_secs(61));
    let mut e = UacCall::new(3);
    let resp = challenged(&mut h, &mut e);
    let ch = challenge_for(&resp, HeaderName::WwwAuthenticate, DigestAlgorithm::Md5);
    assert_eq!(statuses(&h.send(invite_with_auth(&mut e, &ch, "alice", "secret", 1))), [200]);
    // An unknown user counts as a failure too.
    let mut f = UacCall::new(4);
    let resp = challenged(&mut h, &mut f);
    let ch = challenge_for(&resp, HeaderName::WwwAuthenticate, DigestAlgorithm::Md5);
    assert_eq!(statuses(&h.send(invite_with_auth(&mut f, &ch, "mallory", "secret", 1))), [401]);
    assert_eq!(h.core.stats().auth.failed, 4);
}

#[test]
fn an_expired_nonce_is_rechallenged_stale_only_when_the_password_was_right() {
    let mut h = harness(auth_cfg());
    let mut c = UacCall::new(1);
    let resp = challenged(&mut h, &mut c);
    let ch = challenge_for(&resp, HeaderName::WwwAuthenticate, DigestAlgorithm::Sha256);
    h.advance(Duration::from_secs(31));
    let out = h.send(invite_with_auth(&mut c, &ch, "alice", "secret", 1));
    assert_eq!(statuses(&out), [401]);
    let fresh = challenge_for(&out[0], HeaderName::WwwAuthenticate, DigestAlgorithm::Sha256);
    let parsed = Challenge::parse(&fresh).unwrap();
    assert!(parsed.stale, "stale=true: {fresh}");
    assert_ne!(parsed.nonce, Challenge::parse(&ch).unwrap().nonce, "a new nonce");
    assert_eq!((h.core.stats().auth.stale, h.core.stats().auth.failed), (1, 0));
    c.learn_tag(&out[0]);
    assert!(h.send(c.ack_non2xx()).is_empty());
    c.to_tag = None;
    // A wrong password on an expired nonce is a failure, not stale.
    let out = h.send(invite_with_auth(&mut c, &ch, "alice", "nope", 1));
    assert!(
        !Challenge::parse(&challenge_for(&out[0], HeaderName::WwwAuthenticate, DigestAlgorithm::Md5))
            .unwrap()
            .stale
    );
    assert_eq!(h.core.stats().auth.failed, 1);
    c.learn_tag(&out[0]);
    assert!(h.send(c.ack_non2xx()).is_empty());
    c.to_tag = None;
    // The fresh nonce works.
    assert_eq!(statuses(&h.send(invite_with_auth(&mut c, &fresh, "alice", "secret", 1))), [200]);
}

#[test]
fn a_replayed_nonce_count_is_refused_and_a_higher_one_accepted() {
    let mut h = harness(auth_cfg());
    let mut c = UacCall::new(1);
    let resp = challenged(&mut h, &mut c);
    let ch = challenge_for(&resp, HeaderName::WwwAuthenticate, DigestAlgorithm::Md5);
    let first = invite_with_auth(&mut c, &ch, "alice", "secret", 1);
    assert_eq!(statuses(&h.send(first.clone())), [200]);
    // The very same datagram again is a retransmission: absorbed, the
    // authenticator is not asked.
    h.send(first);
    assert_eq!((h.core.stats().auth.accepted, h.core.stats().auth.replayed), (1, 0));
    // A captured INVITE replayed as a new transaction (new Call-ID and
    // branch, the same nonce and nc) is refused with a new challenge.
    let mut r = UacCall::new(2);
    let out = h.send(invite_with_auth(&mut r, &ch, "alice", "secret", 1));
    assert_eq!(statuses(&out), [401]);
    assert_eq!(h.core.stats().auth.replayed, 1);
    r.learn_tag(&out[0]);
    assert!(h.send(r.ack_non2xx()).is_empty());
    r.to_tag = None;
    // The client reusing its nonce with the next count is served.
    assert_eq!(statuses(&h.send(invite_with_auth(&mut r, &ch, "alice", "secret", 2))), [200]);
    assert_eq!((h.core.stats().auth.accepted, h.core.stats().auth.failed), (2, 0));
}

#[test]
fn forged_nonces_and_malformed_credentials_get_a_plain_challenge() {
    let mut h = harness(auth_cfg());
    let mut c = UacCall::new(1);
    let resp = challenged(&mut h, &mut c);
    let ch = challenge_for(&resp, HeaderName::WwwAuthenticate, DigestAlgorithm::Md5);
    let nonce = Challenge::parse(&ch).unwrap().nonce.to_owned();
    // One digit of the timestamp changed: the MAC no longer holds.
    let mut forged = nonce.clone().into_bytes();
    forged[15] = if forged[15] == b'0' { b'1' } else { b'0' };
    let forged_ch = ch.replace(&nonce, std::str::from_utf8(&forged).unwrap());
    let out = h.send(invite_with_auth(&mut c, &forged_ch, "alice", "secret", 1));
    assert_eq!(statuses(&out), [401]);
    c.learn_tag(&out[0]);
    assert!(h.send(c.ack_non2xx()).is_empty());
    // A nonce signed with another key (another process) is not ours either.
    let mut other = auth_cfg();
    other.key = NonceKey::from_bytes([8; 16]);
    let mut h2 = harness(other);
    let mut d = UacCall::new(2);
    assert_eq!(statuses(&h2.send(invite_with_auth(&mut d, &ch, "alice", "secret", 1))), [401]);
    assert_eq!(h2.core.stats().auth.failed, 0, "a foreign nonce is no guess at a password");
    // Credentials that do not parse are a failure.
    let e = UacCall::new(3);
    let bad = e.invite_with(
        "Authorization: Digest username=\"alice\"\r\n",
        Some(("application/sdp", &pcmu_offer())),
    );
    assert_eq!(statuses(&h2.send(bad)), [401]);
    assert_eq!(h2.core.stats().auth.failed, 1);
    // Credentials for another realm are ignored: a plain challenge.
    let mut f = UacCall::new(4);
    let foreign = ch.replace(REALM, "elsewhere");
    assert_eq!(statuses(&h2.send(invite_with_auth(&mut f, &foreign, "alice", "secret", 1))), [401]);
    assert_eq!(h2.core.stats().auth.failed, 1);
}

#[test]
fn an_ha1_secret_authenticates_only_its_own_hash() {
    let mut h = harness(auth_cfg());
    let mut c = UacCall::new(1);
    let resp = challenged(&mut h, &mut c);
    let md5 = challenge_for(&resp, HeaderName::WwwAuthenticate, DigestAlgorithm::Md5);
    let sha = challenge_for(&resp, HeaderName::WwwAuthenticate, DigestAlgorithm::Sha256);
    let out = h.send(invite_with_auth(&mut c, &sha, "bob", "hunter2", 1));
    assert_eq!(statuses(&out), [401], "an MD5 HA1 cannot check a SHA-256 response");
    c.learn_tag(&out[0]);
    assert!(h.send(c.ack_non2xx()).is_empty());
    c.to_tag = None;
    assert_eq!(statuses(&h.send(invite_with_auth(&mut c, &md5, "bob", "hunter2", 1))), [200]);
}

#[test]
fn a_proxy_facing_uas_challenges_with_407() {
    let mut a = auth_cfg();
    a.proxy = true;
    let mut h = harness(a);
    let mut c = UacCall::new(1);
    let out = h.send(c.invite());
    let resp = only(&out, "407 INVITE").clone();
    assert_eq!(resp.header_values(HeaderName::WwwAuthenticate).count(), 0);
    let ch = challenge_for(&resp, HeaderName::ProxyAuthenticate, DigestAlgorithm::Md5);
    c.learn_tag(&resp);
    assert!(h.send(c.ack_non2xx()).is_empty());
    c.to_tag = None;
    // Credentials in Authorization do not count for a proxy challenge.
    assert_eq!(statuses(&h.send(invite_with_auth(&mut c, &ch, "alice", "secret", 1))), [407]);
    let value = Challenge::parse(&ch).unwrap().answer("alice", "secret", "INVITE", URI, "abc", 1);
    c.cseq += 1;
    c.invite_branch = c.new_branch();
    let extra = format!("Proxy-Authorization: {value}\r\n");
    let req = c.request(
        "INVITE",
        &c.invite_branch.clone(),
        c.cseq,
        &extra,
        Some(("application/sdp", &pcmu_offer())),
    );
    assert_eq!(statuses(&h.send(req)), [200]);
}

#[test]
fn failures_take_tokens_from_the_source_limiter() {
    let mut a = auth_cfg();
    a.failure_penalty = 6;
    a.max_failures = 100;
    let mut h = Harness::new(CoreConfig {
        auth: Some(a),
        source_limit: Some(SourceLimit { rate: 1, burst: 8, action: LimitAction::Reject }),
        ..CoreConfig::default()
    });
    let mut c = UacCall::new(1);
    // A burst of 8: the first INVITE takes one, the second one more,
    // its failure six: the bucket is empty.
    let resp = challenged(&mut h, &mut c);
    let ch = challenge_for(&resp, HeaderName::WwwAuthenticate, DigestAlgorithm::Md5);
    let out = h.send(invite_with_auth(&mut c, &ch, "alice", "guess", 1));
    assert_eq!(statuses(&out), [401]);
    let d = UacCall::new(2);
    assert_eq!(statuses(&h.send(d.invite())), [503], "the guesser's bucket is empty");
    assert_eq!(h.core.stats().source_limited, 1);
}

#[test]
fn user_files_refuse_lines_of_neither_form() {
    assert!(UserTable::parse("alice", REALM).unwrap_err().contains("line 1"));
    assert!(UserTable::parse("ok:pw\n:x", REALM).unwrap_err().contains("line 2"));
    let bad_hex = format!("bob:{REALM}:{}", "z".repeat(32));
    assert!(UserTable::parse(&bad_hex, REALM).is_err());
    let t = users();
    use sipbench::core::CredentialStore;
    assert_eq!(t.secret("alice", REALM), Some(Secret::Password("secret".into())));
    assert!(matches!(t.secret("bob", REALM), Some(Secret::Ha1 { algorithm: DigestAlgorithm::Md5, .. })));
    assert_eq!(t.secret("alice", "other"), None);
    assert!(format!("{:?}", t.secret("alice", REALM)).contains(".."), "Debug hides the password");
}

/// Our own UAC (a placed call with credentials) answers our own UAS's
/// challenge with the first hash offered, and the call completes.
#[test]
fn our_placed_call_answers_our_challenge() {
    const ADDRS: [&str; 2] = ["127.0.0.1:5070", "127.0.0.1:5080"];
    let caller = CoreConfig {
        local: ADDRS[0].parse().unwrap(),
        credentials: Some(sipbench::core::Credentials { user: "alice".into(), password: "secret".into() }),
        ..CoreConfig::default()
    };
    let callee =
        CoreConfig { local: ADDRS[1].parse().unwrap(), auth: Some(auth_cfg()), ..CoreConfig::default() };
    let mut p = Pair::new(Net::new(1, 0, (1, 2)), vec![caller, callee]);
    let call = OutgoingCall::new(&format!("sip:bob@{}", ADDRS[1]))
        .from("sip:alice@127.0.0.1")
        .to("sip:bob@127.0.0.1")
        .hang_up_after(Duration::from_millis(500));
    let a = p.place(0, call);
    assert!(p.run_until(Duration::from_secs(5), |p| p.nodes[0].ended(a).is_some()));
    assert_eq!(p.nodes[0].ended(a), Some(EndReason::LocalBye), "{:?}", p.nodes[0].events_of(a));
    assert!(p.nodes[0].events_of(a).iter().any(|e| matches!(e, EventKind::Answered)));
    let s = p.nodes[1].core.stats().auth;
    assert_eq!((s.challenged, s.accepted), (1, 1));
    let auth = p.nodes[0].sent.iter().find_map(|m| m.header(HeaderName::Authorization)).unwrap();
    assert!(auth.contains("algorithm=SHA-256"), "the first hash offered: {auth}");
    p.drain();
}

/// The application's own store: asked for (user, realm) on each check.
struct Directory {
    asked: std::sync::Mutex<Vec<(String, String)>>,
}

impl sipbench::core::CredentialStore for Directory {
    fn secret(&self, user: &str, realm: &str) -> Option<Secret> {
        self.asked.lock().unwrap().push((user.to_owned(), realm.to_owned()));
        (user == "carol").then(|| Secret::Password("pw".into()))
    }
}

#[test]
fn the_applications_credential_store_is_asked() {
    let store = Arc::new(Directory { asked: Default::default() });
    let mut a = auth_cfg();
    a.store = store.clone();
    let mut h = harness(a);
    let mut c = UacCall::new(1);
    let resp = challenged(&mut h, &mut c);
    let ch = challenge_for(&resp, HeaderName::WwwAuthenticate, DigestAlgorithm::Sha256);
    assert_eq!(statuses(&h.send(invite_with_auth(&mut c, &ch, "carol", "pw", 1))), [200]);
    assert_eq!(*store.asked.lock().unwrap(), [("carol".to_owned(), REALM.to_owned())]);
}

#[test]
fn the_engine_refuses_an_unusable_auth_config() {
    let mut a = auth_cfg();
    a.realm = "bad\"realm".into();
    let e = sipbench::Config::builder().auth(a).build().unwrap_err();
    assert_eq!(e.field, "auth");
    let mut a = auth_cfg();
    a.algorithms.clear();
    assert!(sipbench::Config::builder().auth(a).build().is_err());
    assert!(sipbench::Config::builder().auth(auth_cfg()).build().is_ok());
}
