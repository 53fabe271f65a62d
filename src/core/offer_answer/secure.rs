//! The SRTP half of offer/answer (RFC 4568 SDES): our `a=crypto` lines,
//! the keys an answer of ours settles, and the keys the peer's answer to
//! our offer settles.

use bytes::{BufMut, BytesMut};

use super::key_minter::KeyMinter;
use super::srtp_policy::first_usable_crypto;
use crate::media::{CryptoAttribute, SrtpKeys};
use crate::sip::sdp::MediaDescription;

/// Writes `a=crypto:<value>` and CRLF (key material: for the SDP body only).
pub(crate) fn write_crypto_line(attr: &CryptoAttribute, out: &mut BytesMut) {
    out.put_slice(b"a=crypto:");
    attr.write_value(out);
    out.put_slice(b"\r\n");
}

/// Our answer to the offered secure stream `m`: its first usable
/// `a=crypto`, answered under the same tag and suite with a key of ours
/// (written into `line`) and the keys both directions use. While the
/// peer keeps the keys it uses now (`current`), we keep ours too, so a
/// re-INVITE that changes nothing in SRTP (hold, resume) re-keys nothing
/// (RFC 4568 §7.1.4 lets the answerer keep its key).
pub(crate) fn answer_keys(
    m: &MediaDescription<'_>,
    current: Option<&SrtpKeys>,
    minter: &mut KeyMinter,
    line: &mut BytesMut,
) -> Option<SrtpKeys> {
    let theirs = first_usable_crypto(m)?;
    let kept = current.filter(|c| c.suite() == theirs.suite && c.inbound() == &theirs.keys[..]);
    let ours = match kept {
        Some(c) => CryptoAttribute { tag: theirs.tag, suite: theirs.suite, keys: vec![c.outbound().clone()] },
        None => minter.attribute(theirs.tag, theirs.suite)?,
    };
    let keys = SrtpKeys::from_attributes(&theirs, &ours).ok()?;
    write_crypto_line(&ours, line);
    Some(keys)
}

/// The keys the peer's answer `m` settles for our offer `offered`: its
/// `a=crypto` whose tag and suite match one we offered (RFC 4568 §7.1.3).
pub(crate) fn answered_keys(m: &MediaDescription<'_>, offered: &[CryptoAttribute]) -> Option<SrtpKeys> {
    m.crypto_values().filter_map(|v| CryptoAttribute::parse(v).ok()).find_map(|theirs| {
        let ours = offered.iter().find(|o| o.tag == theirs.tag && o.suite == theirs.suite)?;
        SrtpKeys::from_attributes(&theirs, ours).ok()
    })
}
