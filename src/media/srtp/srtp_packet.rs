//! SRTP packet framing (RFC 3711 §3.1, RFC 7714 §8): where the encrypted
//! payload, MKI and tag sit, what is authenticated, and the transforms
//! applied in place. AES-CM: header | payload | MKI | tag, the tag over
//! header, payload and ROC. GCM: header | payload | tag | MKI, the header
//! as associated data.

use super::error::SrtpError;
use super::gcm::{GCM_TAG, Gcm};
use super::session_keys::{SessionKeys, Transform};

/// The MKI field of an SRTP packet, if the packet is long enough.
pub(crate) fn mki_field<'p>(transform: &Transform, packet: &'p [u8], mki_len: usize) -> Option<&'p [u8]> {
    let end = match transform {
        Transform::CmHmac(t) => packet.len().checked_sub(t.tag_len)?,
        Transform::Gcm(_) => packet.len(),
    };
    packet.get(end.checked_sub(mki_len)?..end)
}

/// Protects `buf[..len]` (an RTP packet whose header is `hdr` bytes) in
/// place; returns the SRTP length.
pub(crate) fn seal(
    keys: &SessionKeys,
    buf: &mut [u8],
    len: usize,
    hdr: usize,
    ssrc: u32,
    index: u64,
) -> Result<usize, SrtpError> {
    let mki_len = keys.mki_len();
    let total = len + mki_len + keys.rtp.tag_len();
    if buf.len() < total || hdr > len {
        return Err(SrtpError::NoRoom);
    }
    match &keys.rtp {
        Transform::CmHmac(t) => {
            t.crypt(ssrc, index, &mut buf[hdr..len]);
            if let Some(mki) = keys.mki {
                mki.write(&mut buf[len..len + mki_len]);
            }
            let tag = t.tag(&buf[..len], Some((index >> 16) as u32));
            buf[len + mki_len..total].copy_from_slice(&tag[..t.tag_len]);
        }
        Transform::Gcm(g) => {
            let (head, rest) = buf.split_at_mut(hdr);
            let tag = g.seal(Gcm::rtp_fields(ssrc, index), head, &mut rest[..len - hdr]);
            buf[len..len + GCM_TAG].copy_from_slice(&tag);
            if let Some(mki) = keys.mki {
                mki.write(&mut buf[len + GCM_TAG..total]);
            }
        }
    }
    Ok(total)
}

/// Authenticates and decrypts an SRTP packet in place; returns the RTP
/// length.
pub(crate) fn open(
    keys: &SessionKeys,
    packet: &mut [u8],
    hdr: usize,
    ssrc: u32,
    index: u64,
) -> Result<usize, SrtpError> {
    let tag_len = keys.rtp.tag_len();
    let end = packet.len().checked_sub(keys.mki_len() + tag_len).filter(|&e| e >= hdr);
    let end = end.ok_or(SrtpError::Malformed)?;
    let ok = match &keys.rtp {
        Transform::CmHmac(t) => {
            let tag_at = packet.len() - tag_len;
            let ok = t.verify(&packet[..end], Some((index >> 16) as u32), &packet[tag_at..]);
            if ok {
                t.crypt(ssrc, index, &mut packet[hdr..end]);
            }
            ok
        }
        Transform::Gcm(g) => {
            let (body, tag) = packet[..end + GCM_TAG].split_at_mut(end);
            let (head, payload) = body.split_at_mut(hdr);
            g.open(Gcm::rtp_fields(ssrc, index), head, payload, tag)
        }
    };
    if ok { Ok(end) } else { Err(SrtpError::AuthFailed) }
}
