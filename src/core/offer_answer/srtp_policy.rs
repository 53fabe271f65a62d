//! Whether a call's media is encrypted (SRTP with SDES keys, RFC 4568):
//! the policy, which offered streams it lets us answer, and which
//! `a=crypto` line of a stream we take.

use std::fmt;
use std::str::FromStr;

use crate::media::CryptoAttribute;
use crate::sip::sdp::MediaDescription;

/// What the engine does about SRTP.
///
/// | policy | plain offer (`RTP/AVP`) | secure offer (`RTP/SAVP`) | our offers |
/// | --- | --- | --- | --- |
/// | `Off` | answered | 488 | plain |
/// | `Optional` | answered | answered, encrypted | plain |
/// | `Mandatory` | 488 | answered, encrypted | `RTP/SAVP` with keys |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum SrtpPolicy {
    /// Plain RTP only: an offer with nothing but `RTP/SAVP` gets 488.
    Off,
    /// Follow the offer: encrypt when it asks for SRTP with a suite we
    /// speak; our own offers are plain.
    #[default]
    Optional,
    /// SRTP only: a plain offer gets 488; our offers carry keys.
    Mandatory,
}

impl SrtpPolicy {
    /// Whether a stream on this transport may be answered: plain RTP
    /// unless SRTP is mandatory; SRTP (with a usable `a=crypto`) unless off.
    pub(crate) fn accepts(self, m: &MediaDescription<'_>) -> bool {
        if m.is_plain_rtp() {
            self != SrtpPolicy::Mandatory
        } else {
            self != SrtpPolicy::Off && m.is_secure_rtp() && first_usable_crypto(m).is_some()
        }
    }

    /// Whether our offers carry keys.
    pub(crate) fn offers_keys(self) -> bool {
        self == SrtpPolicy::Mandatory
    }

    /// The flag's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SrtpPolicy::Off => "off",
            SrtpPolicy::Optional => "optional",
            SrtpPolicy::Mandatory => "mandatory",
        }
    }
}

/// The first of the stream's `a=crypto` lines we can use (a suite we
/// speak, well-formed key parameters), in the offer's order (RFC 4568
/// §7.1.1: the offerer lists them by preference).
pub(crate) fn first_usable_crypto(m: &MediaDescription<'_>) -> Option<CryptoAttribute> {
    m.crypto_values().find_map(|v| CryptoAttribute::parse(v).ok())
}

impl FromStr for SrtpPolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<SrtpPolicy, String> {
        match s {
            "off" => Ok(SrtpPolicy::Off),
            "optional" => Ok(SrtpPolicy::Optional),
            "mandatory" => Ok(SrtpPolicy::Mandatory),
            _ => Err(format!("unknown SRTP policy {s:?} (off, optional, mandatory)")),
        }
    }
}

impl fmt::Display for SrtpPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
