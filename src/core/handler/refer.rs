//! A REFER inside a call (RFC 3515): what the peer asks us to call, and
//! the handler's answer. Accepting it makes the engine answer 202 and
//! NOTIFY `100 Trying`; the application then places the call
//! (`OutgoingCall::referred`), whose outcome the engine NOTIFYs.

use super::IncomingRequest;

/// A REFER the handler decides: its target and who referred us, both
/// checked (a sip:, sips: or tel: URI of printable text: no CR, LF or
/// NUL), and the request itself.
#[derive(Debug, Clone, Copy)]
pub struct IncomingRefer<'a> {
    pub(crate) target: &'a str,
    pub(crate) referred_by: Option<&'a str>,
    pub(crate) request: IncomingRequest<'a>,
}

impl<'a> IncomingRefer<'a> {
    /// The Refer-To URI: whom to call (its `?` headers, such as
    /// Replaces, left as written; the engine does not act on them).
    pub fn target(&self) -> &'a str {
        self.target
    }

    /// The Referred-By URI, when the REFER named one (RFC 3892).
    pub fn referred_by(&self) -> Option<&'a str> {
        self.referred_by
    }

    /// The REFER.
    pub fn request(&self) -> &IncomingRequest<'a> {
        &self.request
    }
}

/// What to do with a REFER.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReferDecision {
    /// 202 Accepted: the engine NOTIFYs `100 Trying` and reports an
    /// `EventKind::Referred`; place the call with `OutgoingCall::referred`.
    Accept,
    /// 403 Forbidden.
    Forbidden,
    /// 603 Decline (the default).
    Decline,
}

impl ReferDecision {
    /// The status the REFER is answered with.
    pub(crate) fn code(self) -> u16 {
        match self {
            ReferDecision::Accept => 202,
            ReferDecision::Forbidden => 403,
            ReferDecision::Decline => 603,
        }
    }
}
