//! The master keys of one direction: one key, or several of one suite
//! told apart by the MKI each packet carries (RFC 3711 §3.1).

use super::error::SrtpError;
use super::master_key::MasterKey;
use super::session_keys::SessionKeys;
use super::{srtcp_packet, srtp_packet};

/// Ok for one key, or several of one suite that all carry distinct MKIs
/// of one length.
pub(crate) fn check_key_set(keys: &[MasterKey]) -> Result<(), SrtpError> {
    let first = keys.first().ok_or(SrtpError::BadKey("no master key"))?;
    let mki_len = first.mki().map(|m| m.len());
    if keys.len() > 1 && mki_len.is_none() {
        return Err(SrtpError::BadKey("several keys need MKIs"));
    }
    for (i, k) in keys.iter().enumerate() {
        if k.suite() != first.suite() {
            return Err(SrtpError::BadKey("master keys of different suites"));
        }
        if k.mki().map(|m| m.len()) != mki_len {
            return Err(SrtpError::BadKey("MKIs of different lengths"));
        }
        if keys[..i].iter().any(|o| o.mki() == k.mki()) {
            return Err(SrtpError::BadKey("two keys with the same MKI"));
        }
    }
    Ok(())
}

/// Which key the packet's MKI names (the only key when there is no MKI).
pub(crate) fn key_named_by_mki(keys: &[SessionKeys], rtcp: bool, packet: &[u8]) -> Result<usize, SrtpError> {
    let first = &keys[0];
    let Some(mki) = first.mki else { return Ok(0) };
    let field = if rtcp {
        srtcp_packet::fields(&first.rtcp, packet, mki.len())?.2
    } else {
        srtp_packet::mki_field(&first.rtp, packet, mki.len()).ok_or(SrtpError::Malformed)?
    };
    keys.iter().position(|k| k.mki.is_some_and(|m| m.matches(field))).ok_or(SrtpError::AuthFailed)
}
