//! The keys of one SRTP stream as offer/answer settled them: the peer's
//! (its `a=crypto` line: what it sends is protected with them) and ours
//! (what we send). The media pool builds a context for each direction.

use super::context::SrtpContext;
use super::crypto_attribute::CryptoAttribute;
use super::error::SrtpError;
use super::key_set::check_key_set;
use super::master_key::MasterKey;
use super::suite::SrtpSuite;

/// Inbound and outbound keys of one stream, of one suite. Debug shows no
/// key material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrtpKeys {
    inbound: Vec<MasterKey>,
    outbound: MasterKey,
}

impl SrtpKeys {
    /// The peer's keys (several only with MKIs) and ours.
    pub fn new(inbound: Vec<MasterKey>, outbound: MasterKey) -> Result<SrtpKeys, SrtpError> {
        check_key_set(&inbound)?;
        if inbound[0].suite() != outbound.suite() {
            return Err(SrtpError::BadKey("inbound and outbound suites differ"));
        }
        Ok(SrtpKeys { inbound, outbound })
    }

    /// From the two attributes of one negotiation: the peer's and ours,
    /// which must share tag and suite (RFC 4568 §7.1.2). We protect with
    /// our first key.
    pub fn from_attributes(theirs: &CryptoAttribute, ours: &CryptoAttribute) -> Result<SrtpKeys, SrtpError> {
        if theirs.tag != ours.tag || theirs.suite != ours.suite {
            return Err(SrtpError::BadKey("answer's tag or suite differs from the offer's"));
        }
        let outbound = ours.keys.first().ok_or(SrtpError::BadKey("no master key"))?;
        SrtpKeys::new(theirs.keys.clone(), outbound.clone())
    }

    /// The suite of both directions.
    pub fn suite(&self) -> SrtpSuite {
        self.outbound.suite()
    }

    /// The peer's keys.
    pub fn inbound(&self) -> &[MasterKey] {
        &self.inbound
    }

    /// Our key.
    pub fn outbound(&self) -> &MasterKey {
        &self.outbound
    }

    /// A fresh context per direction: (inbound, outbound).
    pub fn contexts(&self) -> Result<(SrtpContext, SrtpContext), SrtpError> {
        Ok((SrtpContext::new(&self.inbound)?, SrtpContext::new(std::slice::from_ref(&self.outbound))?))
    }
}
