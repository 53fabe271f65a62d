//! SRTCP packet framing (RFC 3711 §3.4, RFC 7714 §9): the first 8 bytes
//! (header and sender SSRC) stay clear, the rest is encrypted, and the
//! E flag with the 31-bit SRTCP index follows. AES-CM: ... | E+index |
//! MKI | tag, the tag over everything before the MKI. GCM: ... | tag |
//! E+index | MKI, with header and E+index as associated data.

use super::error::SrtpError;
use super::gcm::{GCM_TAG, Gcm};
use super::session_keys::{SessionKeys, Transform};

/// The clear part of an SRTCP packet: the first header and sender SSRC.
pub(crate) const CLEAR: usize = 8;
/// The E flag (encrypted) in the index word.
const E_FLAG: u32 = 0x8000_0000;

/// Where the E+index word and the MKI sit: (index offset, MKI offset).
fn trailer_at(transform: &Transform, len: usize, mki_len: usize) -> Option<(usize, usize)> {
    let (index_at, mki_at) = match transform {
        Transform::CmHmac(t) => {
            let mki_at = len.checked_sub(t.tag_len + mki_len)?;
            (mki_at.checked_sub(4)?, mki_at)
        }
        Transform::Gcm(_) => {
            let mki_at = len.checked_sub(mki_len)?;
            (mki_at.checked_sub(4)?, mki_at)
        }
    };
    let payload_end =
        index_at.checked_sub(if matches!(transform, Transform::Gcm(_)) { GCM_TAG } else { 0 })?;
    (payload_end >= CLEAR).then_some((index_at, mki_at))
}

/// The sender SSRC, the E+index word and the MKI field of an SRTCP packet.
pub(crate) fn fields<'p>(
    transform: &Transform,
    packet: &'p [u8],
    mki_len: usize,
) -> Result<(u32, u32, &'p [u8]), SrtpError> {
    let (index_at, mki_at) = trailer_at(transform, packet.len(), mki_len).ok_or(SrtpError::Malformed)?;
    let word = |at: usize| u32::from_be_bytes([packet[at], packet[at + 1], packet[at + 2], packet[at + 3]]);
    Ok((word(4), word(index_at), &packet[mki_at..mki_at + mki_len]))
}

/// Protects `buf[..len]` (a compound RTCP packet) with SRTCP `index`;
/// returns the SRTCP length.
pub(crate) fn seal(keys: &SessionKeys, buf: &mut [u8], len: usize, index: u32) -> Result<usize, SrtpError> {
    let mki_len = keys.mki_len();
    let total = len + 4 + mki_len + keys.rtcp.tag_len();
    if buf.len() < total || len < CLEAR {
        return Err(SrtpError::NoRoom);
    }
    let ssrc = u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]);
    let word = (E_FLAG | index).to_be_bytes();
    match &keys.rtcp {
        Transform::CmHmac(t) => {
            t.crypt(ssrc, u64::from(index), &mut buf[CLEAR..len]);
            buf[len..len + 4].copy_from_slice(&word);
            if let Some(mki) = keys.mki {
                mki.write(&mut buf[len + 4..len + 4 + mki_len]);
            }
            let tag = t.tag(&buf[..len + 4], None);
            buf[len + 4 + mki_len..total].copy_from_slice(&tag[..t.tag_len]);
        }
        Transform::Gcm(g) => {
            let mut aad = [0u8; CLEAR + 4];
            aad[..CLEAR].copy_from_slice(&buf[..CLEAR]);
            aad[CLEAR..].copy_from_slice(&word);
            let tag = g.seal(Gcm::rtcp_fields(ssrc, index), &aad, &mut buf[CLEAR..len]);
            buf[len..len + GCM_TAG].copy_from_slice(&tag);
            buf[len + GCM_TAG..len + GCM_TAG + 4].copy_from_slice(&word);
            if let Some(mki) = keys.mki {
                mki.write(&mut buf[len + GCM_TAG + 4..total]);
            }
        }
    }
    Ok(total)
}

/// Authenticates and decrypts an SRTCP packet in place; returns the RTCP
/// length. Unencrypted SRTCP (E = 0) is refused: we never negotiate it.
pub(crate) fn open(keys: &SessionKeys, packet: &mut [u8]) -> Result<usize, SrtpError> {
    let mki_len = keys.mki_len();
    let (ssrc, word, _) = fields(&keys.rtcp, packet, mki_len)?;
    if word & E_FLAG == 0 {
        return Err(SrtpError::AuthFailed);
    }
    let index = word & !E_FLAG;
    let (index_at, _) = trailer_at(&keys.rtcp, packet.len(), mki_len).ok_or(SrtpError::Malformed)?;
    let ok = match &keys.rtcp {
        Transform::CmHmac(t) => {
            let tag_at = packet.len() - t.tag_len;
            let ok = t.verify(&packet[..index_at + 4], None, &packet[tag_at..]);
            if ok {
                t.crypt(ssrc, u64::from(index), &mut packet[CLEAR..index_at]);
            }
            ok.then_some(index_at)
        }
        Transform::Gcm(g) => {
            let end = index_at - GCM_TAG;
            let mut aad = [0u8; CLEAR + 4];
            aad[..CLEAR].copy_from_slice(&packet[..CLEAR]);
            aad[CLEAR..].copy_from_slice(&word.to_be_bytes());
            let (body, tag) = packet[..index_at].split_at_mut(end);
            g.open(Gcm::rtcp_fields(ssrc, index), &aad, &mut body[CLEAR..], tag).then_some(end)
        }
    };
    ok.ok_or(SrtpError::AuthFailed)
}
