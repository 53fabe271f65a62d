//! Refusing a call: a rejection (300–699 with an optional reason phrase)
//! or a redirection (3xx to a URI), each checked when made.

use crate::core::CommandError;
use crate::core::command::text;

/// A final refusal of a call: a status 300–699 and an optional reason
/// phrase, both checked when made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    code: u16,
    reason: Option<String>,
}

impl Rejection {
    /// `code` (300–699) with its standard reason phrase.
    pub fn new(code: u16) -> Result<Rejection, CommandError> {
        if !(300..=699).contains(&code) {
            return Err(CommandError::BadStatus(code));
        }
        Ok(Rejection { code, reason: None })
    }

    /// `code` with a reason phrase of the application's (RFC 3261
    /// `Reason-Phrase`: text on one line, no quotes or control characters).
    pub fn with_reason(code: u16, reason: &str) -> Result<Rejection, CommandError> {
        let r = Rejection::new(code)?;
        if !text::is_reason_phrase(reason) {
            return Err(CommandError::BadArgument("reason phrase must be Reason-Phrase text on one line"));
        }
        Ok(Rejection { reason: Some(reason.to_owned()), ..r })
    }

    /// A code known to be a final error status, with its standard phrase.
    pub(crate) const fn known(code: u16) -> Rejection {
        Rejection { code, reason: None }
    }

    /// The status.
    pub fn code(&self) -> u16 {
        self.code
    }

    /// The reason phrase (None: the standard one).
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    pub(crate) fn into_parts(self) -> (u16, Option<String>) {
        (self.code, self.reason)
    }
}

/// A redirection (3xx) to another URI, checked when made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirection {
    code: u16,
    contact: String,
}

impl Redirection {
    /// `code` (300–399) to `contact`, a sip:, sips: or tel: URI.
    pub fn new(code: u16, contact: &str) -> Result<Redirection, CommandError> {
        if !(300..=399).contains(&code) {
            return Err(CommandError::BadStatus(code));
        }
        if !text::is_uri(contact) {
            return Err(CommandError::BadArgument("redirect contact must be a sip:, sips: or tel: URI"));
        }
        Ok(Redirection { code, contact: contact.to_owned() })
    }

    /// The status.
    pub fn code(&self) -> u16 {
        self.code
    }

    /// Where the caller should try instead.
    pub fn contact(&self) -> &str {
        &self.contact
    }

    pub(crate) fn into_parts(self) -> (u16, String) {
        (self.code, self.contact)
    }
}
