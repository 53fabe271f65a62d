//! SRTP/SRTCP packets through the public context: known packets from
//! libsrtp's published test vectors (the values only: AES-CM-128/HMAC-SHA1-80
//! with and without MKI, AES-128-GCM), then tampering, replays, unknown
//! sources, key lifetime, SRTCP's E flag, and what a re-key still opens.

use sipbench::media::{
    MasterKey, Mki, RETIRING_PACKETS, SRTP_MAX_TRAILER, SrtpContext, SrtpError, SrtpSuite,
};

fn hex(s: &str) -> Vec<u8> {
    let d: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    d.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
}

const KEY_1: &str = "e1f97a0d3e018be0d64fa32c06de4139 0ec675ad498afeebb6960b3aabe6";
const KEY_2: &str = "f0f04914b513f2763a1b1fa130f10e29 98f6f6e43e4309d1e622a0e332b9";
const RTP_PLAIN: &str = "800f1234decafbadcafebabe abababababababababababababababab";
const RTCP_PLAIN: &str = "81c8000bcafebabe abababababababababababababababab";

fn key(suite: SrtpSuite, hexed: &str, mki: Option<Mki>) -> MasterKey {
    MasterKey::new(suite, &hex(hexed), None, mki).unwrap()
}

fn ctx(keys: &[MasterKey]) -> SrtpContext {
    SrtpContext::new(keys).unwrap()
}

/// Protects `plain` with `c` (RTP or RTCP) and returns the packet.
fn protect(c: &mut SrtpContext, plain: &[u8], rtcp: bool) -> Vec<u8> {
    let mut buf = plain.to_vec();
    buf.resize(plain.len() + SRTP_MAX_TRAILER, 0);
    let n = if rtcp { c.protect_rtcp(&mut buf, plain.len()) } else { c.protect_rtp(&mut buf, plain.len()) };
    buf.truncate(n.unwrap());
    buf
}

fn unprotect(c: &mut SrtpContext, packet: &[u8], rtcp: bool) -> Result<Vec<u8>, SrtpError> {
    let mut buf = packet.to_vec();
    let n = if rtcp { c.unprotect_rtcp(&mut buf) } else { c.unprotect_rtp(&mut buf) }?;
    buf.truncate(n);
    Ok(buf)
}

/// Sends one RTCP packet first so the next carries SRTCP index 1, as in
/// the vectors.
fn skip_rtcp_index_zero(c: &mut SrtpContext) {
    protect(c, &hex(RTCP_PLAIN), true);
}

#[test]
fn aes_cm_sha1_80_known_packets() {
    let k = key(SrtpSuite::AesCm128HmacSha1_80, KEY_1, None);
    let srtp = hex("800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb");
    let srtcp = hex("81c8000bcafebabe 7128035be487b9bdbef89041f977a5a8 80000001 993e08cd54d6c1230798");
    let mut tx = ctx(std::slice::from_ref(&k));
    assert_eq!(protect(&mut tx, &hex(RTP_PLAIN), false), srtp);
    skip_rtcp_index_zero(&mut tx);
    assert_eq!(protect(&mut tx, &hex(RTCP_PLAIN), true), srtcp);
    let mut rx = ctx(&[k]);
    assert_eq!(unprotect(&mut rx, &srtp, false).unwrap(), hex(RTP_PLAIN));
    assert_eq!(unprotect(&mut rx, &srtcp, true).unwrap(), hex(RTCP_PLAIN));
}

#[test]
fn aes_cm_sha1_80_with_mki_picks_the_key_the_packet_names() {
    let suite = SrtpSuite::AesCm128HmacSha1_80;
    let k1 = key(suite, KEY_1, Some(Mki::new(0xe1f9_7a0d, 4).unwrap()));
    let k2 = key(suite, KEY_2, Some(Mki::new(0xf3a1_4671, 4).unwrap()));
    let srtp = hex("800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 e1f97a0d b78d6acc99ea179b8dbb");
    let srtcp =
        hex("81c8000bcafebabe 7128035be487b9bdbef89041f977a5a8 80000001 e1f97a0d 993e08cd54d6c1230798");
    let mut tx = ctx(&[k1.clone(), k2.clone()]);
    assert_eq!(protect(&mut tx, &hex(RTP_PLAIN), false), srtp);
    skip_rtcp_index_zero(&mut tx);
    assert_eq!(protect(&mut tx, &hex(RTCP_PLAIN), true), srtcp);
    // The receiver holds both keys, the second first: the MKI chooses.
    let mut rx = ctx(&[k2.clone(), k1.clone()]);
    assert_eq!(unprotect(&mut rx, &srtp, false).unwrap(), hex(RTP_PLAIN));
    assert_eq!(unprotect(&mut rx, &srtcp, true).unwrap(), hex(RTCP_PLAIN));
    let mut tx2 = ctx(&[k2, k1]);
    let mut plain = hex(RTP_PLAIN);
    plain[3] = 0x35;
    let other = protect(&mut tx2, &plain, false);
    assert_eq!(&other[28..32], &[0xf3, 0xa1, 0x46, 0x71]);
    assert_eq!(unprotect(&mut rx, &other, false).unwrap(), plain);
    let mut unknown = other.clone();
    unknown[31] ^= 1;
    assert_eq!(unprotect(&mut rx, &unknown, false), Err(SrtpError::AuthFailed), "an MKI we hold no key for");
}

#[test]
fn aead_aes_128_gcm_known_packets() {
    let k = key(SrtpSuite::AeadAes128Gcm, "000102030405060708090a0b0c0d0e0f a0a1a2a3a4a5a6a7a8a9aaab", None);
    let srtp =
        hex("800f1234decafbadcafebabe c5002ede04cfdd2eb91159e0880aa06e d2976826f796b201df3131a127e8a392");
    let srtcp =
        hex("81c8000bcafebabe c98b8b5df0392a55852b6c21ac8e7025 c52c6fbea2b3b446ea31123ba88ce61e 80000001");
    let mut tx = ctx(std::slice::from_ref(&k));
    assert_eq!(protect(&mut tx, &hex(RTP_PLAIN), false), srtp);
    skip_rtcp_index_zero(&mut tx);
    assert_eq!(protect(&mut tx, &hex(RTCP_PLAIN), true), srtcp);
    let mut rx = ctx(&[k]);
    assert_eq!(unprotect(&mut rx, &srtp, false).unwrap(), hex(RTP_PLAIN));
    assert_eq!(unprotect(&mut rx, &srtcp, true).unwrap(), hex(RTCP_PLAIN));
}

fn pair(suite: SrtpSuite) -> (SrtpContext, SrtpContext) {
    let k = MasterKey::generate(suite).unwrap();
    (ctx(std::slice::from_ref(&k)), ctx(&[k]))
}

fn rtp(seq: u16, ssrc: u32) -> Vec<u8> {
    let mut h = [0u8; 12];
    sipbench::media::write_rtp_header(&mut h, 0, false, seq, u32::from(seq) * 160, ssrc);
    let mut p = h.to_vec();
    p.extend((0..160).map(|i| i as u8));
    p
}

#[test]
fn one_flipped_bit_anywhere_fails_authentication() {
    for suite in SrtpSuite::ALL {
        let (mut tx, mut rx) = pair(suite);
        let good = protect(&mut tx, &rtp(7, 0x1111), false);
        // Header (not the SSRC: that makes it another source), payload, tag.
        for at in [0, 1, 3, 5, 12, 100, 171, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x08;
            assert_eq!(unprotect(&mut rx, &bad, false), Err(SrtpError::UnknownSsrc), "{suite} byte {at}");
        }
        // Known source now: a tampered packet is an authentication failure.
        assert_eq!(unprotect(&mut rx, &good, false).unwrap(), rtp(7, 0x1111));
        let next = protect(&mut tx, &rtp(8, 0x1111), false);
        for at in [1, 3, 6, 13, 150, next.len() - 1] {
            let mut bad = next.clone();
            bad[at] ^= 0x80;
            assert_eq!(unprotect(&mut rx, &bad, false), Err(SrtpError::AuthFailed), "{suite} byte {at}");
        }
        assert_eq!(
            unprotect(&mut rx, &next, false).unwrap(),
            rtp(8, 0x1111),
            "the intact packet still passes"
        );
        let rr = hex("81c90007 00001111 00000000 00000000 00000000 00000000 00000000 00000000");
        let sealed = protect(&mut tx, &rr, true);
        for at in [1, 9, 20, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[at] ^= 0x01;
            assert_eq!(unprotect(&mut rx, &bad, true), Err(SrtpError::AuthFailed), "{suite} SRTCP byte {at}");
        }
        assert_eq!(unprotect(&mut rx, &sealed, true).unwrap(), rr);
    }
}

#[test]
fn replays_are_refused_before_and_after_the_window() {
    for suite in SrtpSuite::ALL {
        let (mut tx, mut rx) = pair(suite);
        let packets: Vec<Vec<u8>> = (0..200u16).map(|q| protect(&mut tx, &rtp(q, 9), false)).collect();
        for p in &packets[..150] {
            unprotect(&mut rx, p, false).unwrap();
        }
        assert_eq!(unprotect(&mut rx, &packets[149], false), Err(SrtpError::Replay));
        assert_eq!(unprotect(&mut rx, &packets[30], false), Err(SrtpError::Replay), "inside the window");
        assert_eq!(unprotect(&mut rx, &packets[10], false), Err(SrtpError::Replay), "older than the window");
        // Skipped packets arrive late but within the window: accepted once.
        unprotect(&mut rx, &packets[160], false).unwrap();
        unprotect(&mut rx, &packets[155], false).unwrap();
        assert_eq!(unprotect(&mut rx, &packets[155], false), Err(SrtpError::Replay));
        let rr = protect(&mut tx, &hex("81c90001 00000009"), true);
        unprotect(&mut rx, &rr, true).unwrap();
        assert_eq!(unprotect(&mut rx, &rr, true), Err(SrtpError::Replay), "SRTCP replay");
    }
}

#[test]
fn a_stranger_source_is_unknown_and_the_table_is_bounded() {
    let k = MasterKey::generate(SrtpSuite::AesCm128HmacSha1_80).unwrap();
    let (mut tx, mut rx) = (ctx(std::slice::from_ref(&k)), ctx(std::slice::from_ref(&k)));
    let (mut stranger, _) = pair(SrtpSuite::AesCm128HmacSha1_80);
    let forged = protect(&mut stranger, &rtp(1, 0xbad), false);
    assert_eq!(unprotect(&mut rx, &forged, false), Err(SrtpError::UnknownSsrc));
    let forged_rtcp = protect(&mut stranger, &hex("81c90001 00000bad"), true);
    assert_eq!(unprotect(&mut rx, &forged_rtcp, true), Err(SrtpError::UnknownSsrc));
    // A keyed peer may add sources, up to MAX_SOURCES.
    for ssrc in 0..sipbench::media::MAX_SOURCES as u32 {
        let p = protect(&mut tx, &rtp(1, ssrc), false);
        unprotect(&mut rx, &p, false).unwrap();
    }
    let extra = protect(&mut ctx(&[k]), &rtp(1, 1_000), false);
    assert_eq!(unprotect(&mut rx, &extra, false), Err(SrtpError::UnknownSsrc));
}

#[test]
fn a_key_stops_at_its_lifetime() {
    let k = MasterKey::new(SrtpSuite::AesCm128HmacSha1_32, &[7; 30], Some(3), None).unwrap();
    let (mut tx, mut rx) = (ctx(std::slice::from_ref(&k)), ctx(&[k]));
    let sent: Vec<Vec<u8>> = (0..3u16).map(|q| protect(&mut tx, &rtp(q, 5), false)).collect();
    let mut buf = rtp(3, 5);
    let len = buf.len();
    buf.resize(len + SRTP_MAX_TRAILER, 0);
    assert_eq!(tx.protect_rtp(&mut buf, len), Err(SrtpError::KeyExpired));
    for p in &sent {
        unprotect(&mut rx, p, false).unwrap();
    }
    let mut tx_again = ctx(&[MasterKey::new(SrtpSuite::AesCm128HmacSha1_32, &[7; 30], None, None).unwrap()]);
    let fourth = protect(&mut tx_again, &rtp(3, 5), false);
    assert_eq!(unprotect(&mut rx, &fourth, false), Err(SrtpError::KeyExpired));
}

#[test]
fn unencrypted_srtcp_is_refused() {
    let (mut tx, mut rx) = pair(SrtpSuite::AesCm128HmacSha1_80);
    let mut sealed = protect(&mut tx, &hex(RTCP_PLAIN), true);
    let e_at = sealed.len() - 10 - 4;
    sealed[e_at] &= 0x7f;
    assert_eq!(unprotect(&mut rx, &sealed, true), Err(SrtpError::UnknownSsrc));
    assert_eq!(unprotect(&mut rx, &hex("81c9"), true), Err(SrtpError::Malformed));
    assert_eq!(unprotect(&mut rx, &[0x80; 20], false), Err(SrtpError::Malformed));
}

/// The peer seals under its old key until our answer reaches its media:
/// after a receiving re-key those packets still open, until the first
/// packet under the new key shows the peer has switched. A sending
/// re-key keeps nothing.
#[test]
fn a_receiving_re_key_opens_what_was_in_flight_under_the_old_key() {
    for suite in SrtpSuite::ALL {
        let (old, new) = (MasterKey::generate(suite).unwrap(), MasterKey::generate(suite).unwrap());
        let (mut tx, mut rx) = (ctx(std::slice::from_ref(&old)), ctx(std::slice::from_ref(&old)));
        let mut plain_rx = ctx(std::slice::from_ref(&old));
        let first = protect(&mut tx, &rtp(1, 9), false);
        let rtcp = protect(&mut tx, &hex(RTCP_PLAIN), true);
        let in_flight: Vec<Vec<u8>> = (2..5u16).map(|q| protect(&mut tx, &rtp(q, 9), false)).collect();
        for r in [&mut rx, &mut plain_rx] {
            unprotect(r, &first, false).unwrap();
        }
        rx.rekey_receiving(std::slice::from_ref(&new)).unwrap();
        plain_rx.rekey(std::slice::from_ref(&new)).unwrap();
        tx.rekey(std::slice::from_ref(&new)).unwrap();

        assert_eq!(unprotect(&mut plain_rx, &in_flight[0], false), Err(SrtpError::AuthFailed), "{suite}");
        assert_eq!(unprotect(&mut rx, &in_flight[0], false).unwrap(), rtp(2, 9), "{suite}");
        assert_eq!(unprotect(&mut rx, &rtcp, true).unwrap(), hex(RTCP_PLAIN), "{suite}");
        assert_eq!(unprotect(&mut rx, &in_flight[0], false), Err(SrtpError::Replay), "{suite}");
        let switched = protect(&mut tx, &rtp(5, 9), false);
        assert_eq!(unprotect(&mut rx, &switched, false).unwrap(), rtp(5, 9), "{suite}");
        assert_eq!(unprotect(&mut rx, &in_flight[1], false), Err(SrtpError::AuthFailed), "{suite}");
    }
}

/// A peer that never switches cannot keep its old key alive.
#[test]
fn replaced_keys_open_a_bounded_number_of_packets() {
    let suite = SrtpSuite::AesCm128HmacSha1_80;
    let (old, new) = (MasterKey::generate(suite).unwrap(), MasterKey::generate(suite).unwrap());
    let (mut tx, mut rx) = (ctx(std::slice::from_ref(&old)), ctx(std::slice::from_ref(&old)));
    unprotect(&mut rx, &protect(&mut tx, &rtp(0, 3), false), false).unwrap();
    rx.rekey_receiving(&[new]).unwrap();
    for q in 1..=RETIRING_PACKETS as u16 {
        unprotect(&mut rx, &protect(&mut tx, &rtp(q, 3), false), false).unwrap();
    }
    let late = protect(&mut tx, &rtp(RETIRING_PACKETS as u16 + 1, 3), false);
    assert_eq!(unprotect(&mut rx, &late, false), Err(SrtpError::AuthFailed));
}
