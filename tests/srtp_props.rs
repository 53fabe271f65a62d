//! Round trips under proptest: random start sequence numbers, jumps that
//! cross the 16-bit wrap (ROC changes) several times, reordering within
//! the replay window, every suite; SRTCP over many indices. Whatever is
//! sent decrypts to what was sent exactly once, and never twice.

use proptest::prelude::*;
use sipbench::media::{MasterKey, SRTP_MAX_TRAILER, SrtpContext, SrtpError, SrtpSuite, write_rtp_header};

fn suite() -> impl Strategy<Value = SrtpSuite> {
    prop::sample::select(SrtpSuite::ALL.to_vec())
}

fn rtp(seq: u16, ssrc: u32, fill: u8) -> Vec<u8> {
    let mut h = [0u8; 12];
    write_rtp_header(&mut h, 8, false, seq, u32::from(seq).wrapping_mul(160), ssrc);
    let mut p = h.to_vec();
    p.extend(std::iter::repeat_n(fill, 160));
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn srtp_round_trips_across_wraps_and_reordering(
        suite in suite(),
        start in any::<u16>(),
        ssrc in any::<u32>(),
        steps in prop::collection::vec((1u16..30_000, any::<bool>()), 1..40),
    ) {
        let key = MasterKey::generate(suite).unwrap();
        let mut tx = SrtpContext::new(std::slice::from_ref(&key)).unwrap();
        let mut rx = SrtpContext::new(&[key]).unwrap();
        // Sequence numbers: each step forward; the small ones get runs of
        // packets (so the stream sits on each side of a wrap for a while).
        let mut seqs = vec![start];
        for &(step, _) in &steps {
            let last = *seqs.last().unwrap();
            if step < 200 {
                seqs.extend((1..=3).map(|i| last.wrapping_add(i)));
            }
            seqs.push(seqs.last().unwrap().wrapping_add(step));
        }
        let sent: Vec<(Vec<u8>, Vec<u8>)> = seqs
            .iter()
            .map(|&q| {
                let plain = rtp(q, ssrc, 0x5a);
                let mut buf = plain.clone();
                buf.resize(plain.len() + SRTP_MAX_TRAILER, 0);
                let n = tx.protect_rtp(&mut buf, plain.len()).unwrap();
                buf.truncate(n);
                (plain, buf)
            })
            .collect();
        // The same sequence number under another ROC is another keystream.
        for (i, a) in sent.iter().enumerate() {
            for b in &sent[i + 1..] {
                if a.0 == b.0 {
                    prop_assert_ne!(&a.1, &b.1);
                }
            }
        }
        // Deliver with neighbours swapped where they are close.
        let mut order: Vec<usize> = (0..sent.len()).collect();
        for i in 0..order.len().saturating_sub(1) {
            let close = seqs[order[i + 1]].wrapping_sub(seqs[order[i]]) < 64;
            if close && steps[i % steps.len()].1 {
                order.swap(i, i + 1);
            }
        }
        for &i in &order {
            let mut p = sent[i].1.clone();
            let n = rx.unprotect_rtp(&mut p);
            prop_assert_eq!(n, Ok(sent[i].0.len()), "packet {} seq {}", i, seqs[i]);
            prop_assert_eq!(&p[..sent[i].0.len()], &sent[i].0[..]);
        }
        // Replayed: refused. The newest are seen in the window; an old one
        // may instead be placed a cycle ahead, where its tag fails.
        let distance_to_newest: Vec<u64> = {
            let mut back = 0u64;
            let mut d: Vec<u64> = seqs.windows(2).rev().map(|w| { back += u64::from(w[1].wrapping_sub(w[0])); back }).collect();
            d.reverse();
            d.push(0);
            d
        };
        for (i, (_, p)) in sent.iter().enumerate() {
            let mut p = p.clone();
            let got = rx.unprotect_rtp(&mut p);
            if distance_to_newest[i] < 100 {
                prop_assert_eq!(got, Err(SrtpError::Replay));
            } else {
                prop_assert!(matches!(got, Err(SrtpError::Replay | SrtpError::AuthFailed)), "{:?}", got);
            }
        }
    }

    #[test]
    fn srtcp_round_trips_with_a_running_index(suite in suite(), ssrc in any::<u32>(), count in 1usize..300) {
        let key = MasterKey::generate(suite).unwrap();
        let mut tx = SrtpContext::new(std::slice::from_ref(&key)).unwrap();
        let mut rx = SrtpContext::new(&[key]).unwrap();
        let tag = suite.rtcp_tag_len();
        for n in 0..count {
            let mut rr = vec![0x81, 201, 0, 7];
            rr.extend(ssrc.to_be_bytes());
            rr.extend((0..24).map(|i| (i + n) as u8));
            let mut buf = rr.clone();
            buf.resize(rr.len() + SRTP_MAX_TRAILER, 0);
            let len = tx.protect_rtcp(&mut buf, rr.len()).unwrap();
            buf.truncate(len);
            let word_at = if suite.is_aead() { len - 4 } else { len - tag - 4 };
            let word = u32::from_be_bytes(buf[word_at..word_at + 4].try_into().unwrap());
            prop_assert_eq!(word, 0x8000_0000 | n as u32, "E flag and index {}", n);
            prop_assert_ne!(&buf[8..32], &rr[8..32], "encrypted");
            prop_assert_eq!(rx.unprotect_rtcp(&mut buf), Ok(rr.len()));
            prop_assert_eq!(&buf[..rr.len()], &rr[..]);
        }
    }
}
