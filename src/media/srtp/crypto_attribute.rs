//! The value of an `a=crypto` attribute (RFC 4568 §9.1):
//! `<tag> <crypto-suite> <key-params> [<session-params>]`, key params
//! joined by `;`. The SDP layer finds the line; this reads and writes its
//! value. Session parameters that would change the transform (KDR,
//! UNENCRYPTED_*, UNAUTHENTICATED_SRTP, FEC_*) are refused, WSH is
//! accepted (our window is 128), and unknown ones are refused unless
//! marked optional with a leading `-`.

use bytes::BufMut;

use super::error::SrtpError;
use super::key_params::{parse_key_param, write_key_param};
use super::key_set::check_key_set;
use super::master_key::MasterKey;
use super::suite::SrtpSuite;

/// One `a=crypto` line's value. Debug shows no key material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CryptoAttribute {
    /// The tag (1 to 9 digits) the answer repeats.
    pub tag: u32,
    /// The crypto suite.
    pub suite: SrtpSuite,
    /// One key, or several distinguished by MKI.
    pub keys: Vec<MasterKey>,
}

impl CryptoAttribute {
    /// Reads an attribute value (the text after `a=crypto:`).
    pub fn parse(value: &str) -> Result<CryptoAttribute, SrtpError> {
        let mut fields = value.split([' ', '\t']).filter(|f| !f.is_empty());
        let tag = fields.next().unwrap_or_default();
        let valid_tag = !tag.is_empty() && tag.len() <= 9 && tag.bytes().all(|b| b.is_ascii_digit());
        let tag = valid_tag.then(|| tag.parse().ok()).flatten().ok_or(SrtpError::BadKey("tag"))?;
        let suite: SrtpSuite = fields.next().unwrap_or_default().parse()?;
        let params = fields.next().ok_or(SrtpError::BadKey("no key parameter"))?;
        let keys = params.split(';').map(|p| parse_key_param(suite, p)).collect::<Result<Vec<_>, _>>()?;
        check_key_set(&keys)?;
        for p in fields {
            session_param(p)?;
        }
        Ok(CryptoAttribute { tag, suite, keys })
    }

    /// An attribute for an offer: `tag`, `suite` and a fresh key.
    pub fn offer(tag: u32, suite: SrtpSuite) -> Result<CryptoAttribute, SrtpError> {
        Ok(CryptoAttribute { tag, suite, keys: vec![MasterKey::generate(suite)?] })
    }

    /// Our answer to this offered attribute: the same tag and suite with
    /// a fresh key of ours.
    pub fn answer(&self) -> Result<CryptoAttribute, SrtpError> {
        CryptoAttribute::offer(self.tag, self.suite)
    }

    /// Writes the value (what follows `a=crypto:`), key material included:
    /// meant for the SDP body only.
    pub fn write_value(&self, out: &mut impl BufMut) {
        out.put_slice(itoa::Buffer::new().format(self.tag).as_bytes());
        out.put_u8(b' ');
        out.put_slice(self.suite.name().as_bytes());
        out.put_u8(b' ');
        for (i, k) in self.keys.iter().enumerate() {
            if i > 0 {
                out.put_u8(b';');
            }
            write_key_param(k, out);
        }
    }
}

fn session_param(p: &str) -> Result<(), SrtpError> {
    if let Some(w) = p.strip_prefix("WSH=") {
        let ok = !w.is_empty() && w.len() <= 9 && w.bytes().all(|b| b.is_ascii_digit());
        return if ok && w.parse::<u32>().is_ok_and(|w| w >= 64) {
            Ok(())
        } else {
            Err(SrtpError::BadKey("WSH"))
        };
    }
    if p.starts_with('-') && p.len() > 1 {
        return Ok(());
    }
    Err(SrtpError::BadKey("unsupported session parameter"))
}
