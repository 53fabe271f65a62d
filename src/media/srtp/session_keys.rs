//! Everything one master key gives a direction: the SRTP and SRTCP
//! transforms (derived once, KDR 0), the MKI that names the key on the
//! wire, and how many packets it may still protect.

use super::cm_hmac::CmHmac;
use super::error::SrtpError;
use super::gcm::{GCM_TAG, Gcm};
use super::kdf::Kdf;
use super::master_key::{MAX_LIFETIME, MasterKey};
use super::mki::Mki;

/// A packet transform of one suite family.
pub(crate) enum Transform {
    /// AES-CM with HMAC-SHA1.
    CmHmac(CmHmac),
    /// AES-GCM.
    Gcm(Gcm),
}

impl Transform {
    /// The tag length on the wire.
    pub(crate) fn tag_len(&self) -> usize {
        match self {
            Transform::CmHmac(t) => t.tag_len,
            Transform::Gcm(_) => GCM_TAG,
        }
    }
}

/// The session keys of one master key.
pub(crate) struct SessionKeys {
    pub(crate) rtp: Transform,
    pub(crate) rtcp: Transform,
    pub(crate) mki: Option<Mki>,
    lifetime: u64,
    used: u64,
}

impl SessionKeys {
    pub(crate) fn new(master: &MasterKey) -> SessionKeys {
        let suite = master.suite();
        let kdf = Kdf::new(master);
        let (rtp, rtcp) = if suite.is_aead() {
            (Transform::Gcm(Gcm::derive(&kdf, false)), Transform::Gcm(Gcm::derive(&kdf, true)))
        } else {
            (
                Transform::CmHmac(CmHmac::derive(&kdf, false, suite.rtp_tag_len())),
                Transform::CmHmac(CmHmac::derive(&kdf, true, suite.rtcp_tag_len())),
            )
        };
        SessionKeys {
            rtp,
            rtcp,
            mki: master.mki(),
            lifetime: master.lifetime().unwrap_or(MAX_LIFETIME),
            used: 0,
        }
    }

    /// The MKI's length on the wire (0 without one).
    pub(crate) fn mki_len(&self) -> usize {
        self.mki.map_or(0, Mki::len)
    }

    /// Fails once the key's lifetime is used up.
    pub(crate) fn check_lifetime(&self) -> Result<(), SrtpError> {
        if self.used < self.lifetime { Ok(()) } else { Err(SrtpError::KeyExpired) }
    }

    /// Counts one packet protected or accepted under this key.
    pub(crate) fn spend(&mut self) {
        self.used += 1;
    }
}
