//! What the handler decides for a new INVITE (`Decision`), and the
//! statuses and texts a decision carries, each checked when it is made:
//! a decision that exists can be written to the wire as it is.

use std::time::Duration;

use super::accept::Accept;
use super::refusal::{Redirection, Rejection};
use crate::core::CommandError;

/// What to do with a new INVITE.
///
/// ```
/// use std::time::Duration;
/// use sipbench::Decision;
///
/// let ring = Decision::ring_then_accept(Duration::from_millis(500));
/// let busy = Decision::busy();
/// let custom = Decision::reject_with_reason(486, "Busy - Try Later")?;
/// let moved = Decision::redirect("sip:bob@192.0.2.7:5060")?;
/// // Refused when made: a status of the wrong class, header injection.
/// assert!(Decision::reject(200).is_err());
/// assert!(Decision::reject_with_reason(486, "Busy\r\nX-Evil: 1").is_err());
/// # let _ = (ring, busy, custom, moved);
/// # Ok::<(), sipbench::CommandError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// Ring and/or answer as described.
    Accept(Accept),
    /// Reject with a final status (300–699).
    Reject(Rejection),
    /// Redirect (3xx) to another URI.
    Redirect(Redirection),
    /// Send 100 Trying now; the application answers later through its
    /// call control (or the engine rejects with 480 at the defer timeout).
    Defer,
}

impl Decision {
    /// Answer at once (200 OK).
    pub fn accept() -> Decision {
        Decision::Accept(Accept::now())
    }

    /// Ring (180) at once and answer after `ring`.
    pub fn ring_then_accept(ring: Duration) -> Decision {
        Decision::Accept(Accept::now().ring_for(ring))
    }

    /// Answer later, from another thread ([`crate::CallControl::accept_call`]).
    pub fn defer() -> Decision {
        Decision::Defer
    }

    /// Reject with `code` (300–699) and its standard reason phrase.
    pub fn reject(code: u16) -> Result<Decision, CommandError> {
        Rejection::new(code).map(Decision::Reject)
    }

    /// Reject with `code` and a reason phrase of the application's.
    pub fn reject_with_reason(code: u16, reason: &str) -> Result<Decision, CommandError> {
        Rejection::with_reason(code, reason).map(Decision::Reject)
    }

    /// 486 Busy Here.
    pub fn busy() -> Decision {
        Decision::fixed(486)
    }

    /// 403 Forbidden.
    pub fn forbidden() -> Decision {
        Decision::fixed(403)
    }

    /// 404 Not Found.
    pub fn not_found() -> Decision {
        Decision::fixed(404)
    }

    /// 480 Temporarily Unavailable.
    pub fn unavailable() -> Decision {
        Decision::fixed(480)
    }

    /// 603 Decline.
    pub fn decline() -> Decision {
        Decision::fixed(603)
    }

    /// A rejection whose code is known to be valid.
    pub(crate) fn fixed(code: u16) -> Decision {
        Decision::Reject(Rejection::known(code))
    }

    /// Redirect with 302 Moved Temporarily to `contact` (a sip:, sips: or
    /// tel: URI).
    pub fn redirect(contact: &str) -> Result<Decision, CommandError> {
        Decision::redirect_with_code(302, contact)
    }

    /// Redirect with `code` (300–399) to `contact`.
    pub fn redirect_with_code(code: u16, contact: &str) -> Result<Decision, CommandError> {
        Redirection::new(code, contact).map(Decision::Redirect)
    }
}

impl From<Accept> for Decision {
    fn from(a: Accept) -> Decision {
        Decision::Accept(a)
    }
}

impl From<Rejection> for Decision {
    fn from(r: Rejection) -> Decision {
        Decision::Reject(r)
    }
}

impl From<Redirection> for Decision {
    fn from(r: Redirection) -> Decision {
        Decision::Redirect(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_of_the_wrong_class_are_refused_not_replaced() {
        for code in [0, 99, 100, 180, 200, 299, 700, 1000] {
            assert_eq!(Decision::reject(code), Err(CommandError::BadStatus(code)), "{code}");
        }
        for code in [200, 400, 486, 600] {
            assert_eq!(
                Decision::redirect_with_code(code, "sip:b@127.0.0.1"),
                Err(CommandError::BadStatus(code))
            );
        }
        assert_eq!(Decision::reject(300).map(|_| ()), Ok(()));
        assert_eq!(Decision::reject(699).map(|_| ()), Ok(()));
        assert!(Decision::redirect_with_code(301, "sip:b@127.0.0.1").is_ok());
    }

    #[test]
    fn injected_reasons_and_contacts_are_refused() {
        let bad_reason = Decision::reject_with_reason(486, "Busy\r\nX-Evil: 1");
        assert!(matches!(bad_reason, Err(CommandError::BadArgument(_))));
        for contact in ["sip:b@h\r\nX-Evil: 1", "<sip:b@h>", "sip:b@h>;x=1", "nonsense"] {
            assert!(matches!(Decision::redirect(contact), Err(CommandError::BadArgument(_))), "{contact:?}");
        }
    }
}
