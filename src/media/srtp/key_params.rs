//! One SDES key parameter (RFC 4568 §6.1, §9.2):
//! `inline:<base64 key||salt>[|<lifetime>][|<MKI value>:<MKI length>]`,
//! read strictly (the decoded length must be the suite's; lifetime 1 to
//! 2^48 as `2^N` or decimal; MKI length 1 to 128 bytes holding its value)
//! and written back in the same form.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use bytes::BufMut;
use zeroize::Zeroizing;

use super::error::SrtpError;
use super::master_key::{MAX_KEY_AND_SALT, MAX_LIFETIME, MasterKey};
use super::mki::Mki;
use super::suite::SrtpSuite;

/// RFC 4648 base64; some peers leave the padding off, which is accepted.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn digits(s: &str, max: usize) -> Option<u64> {
    let ok = !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| s.parse().ok()).flatten()
}

fn parse_lifetime(s: &str) -> Result<u64, SrtpError> {
    let bad = SrtpError::BadKey("lifetime");
    let life = match s.strip_prefix("2^") {
        Some(exp) => 1u64.checked_shl(digits(exp, 2).filter(|&e| e <= 48).ok_or(bad)? as u32),
        None => digits(s, 15),
    };
    life.filter(|&l| (1..=MAX_LIFETIME).contains(&l)).ok_or(bad)
}

fn parse_mki(s: &str) -> Result<Mki, SrtpError> {
    let (value, len) = s.split_once(':').ok_or(SrtpError::BadKey("MKI"))?;
    let value = digits(value, 20).ok_or(SrtpError::BadKey("MKI value"))?;
    let len = digits(len, 3).filter(|&l| l <= 128).ok_or(SrtpError::BadKey("MKI length"))?;
    Mki::new(value, len as u8)
}

/// Reads one key parameter for `suite`.
pub(crate) fn parse_key_param(suite: SrtpSuite, text: &str) -> Result<MasterKey, SrtpError> {
    let method = text.get(..7).filter(|m| m.eq_ignore_ascii_case("inline:"));
    let info = method.map(|_| &text[7..]).ok_or(SrtpError::BadKey("key method is not inline"))?;
    let mut parts = info.split('|');
    let key_salt = parts.next().unwrap_or_default();
    let (mut lifetime, mut mki) = (None, None);
    for part in parts {
        if mki.is_some() {
            return Err(SrtpError::BadKey("key parameter after the MKI"));
        }
        if part.contains(':') {
            mki = Some(parse_mki(part)?);
        } else if lifetime.is_none() {
            lifetime = Some(parse_lifetime(part)?);
        } else {
            return Err(SrtpError::BadKey("two lifetimes"));
        }
    }
    let mut bytes = Zeroizing::new([0u8; MAX_KEY_AND_SALT + 3]);
    let n = BASE64
        .decode_slice(key_salt, &mut bytes[..])
        .map_err(|_| SrtpError::BadKey("key||salt is not base64 of the suite's length"))?;
    MasterKey::new(suite, &bytes[..n], lifetime, mki)
}

/// Writes `key` as an `inline:` key parameter.
pub(crate) fn write_key_param(key: &MasterKey, out: &mut impl BufMut) {
    let mut text = Zeroizing::new([0u8; 4 * MAX_KEY_AND_SALT.div_ceil(3)]);
    let n = BASE64.encode_slice(key.key_and_salt(), &mut text[..]).unwrap_or(0);
    out.put_slice(b"inline:");
    out.put_slice(&text[..n]);
    if let Some(life) = key.lifetime() {
        out.put_u8(b'|');
        if life.is_power_of_two() {
            out.put_slice(b"2^");
            out.put_slice(itoa::Buffer::new().format(life.trailing_zeros()).as_bytes());
        } else {
            out.put_slice(itoa::Buffer::new().format(life).as_bytes());
        }
    }
    if let Some(m) = key.mki() {
        out.put_u8(b'|');
        out.put_slice(itoa::Buffer::new().format(m.value()).as_bytes());
        out.put_u8(b':');
        out.put_slice(itoa::Buffer::new().format(m.len()).as_bytes());
    }
}
