//! A final response status the handler answers a request with, checked
//! when made (200–699): nothing else can reach the wire, and nothing is
//! replaced behind the application's back.

use crate::core::CommandError;

/// A final status (200–699) for a request the handler answers (OPTIONS,
/// REGISTER, a request inside a call).
///
/// ```
/// use sipbench::FinalStatus;
///
/// assert_eq!(FinalStatus::FORBIDDEN.code(), 403);
/// assert_eq!(FinalStatus::new(488)?.code(), 488);
/// assert!(FinalStatus::new(180).is_err()); // provisional: not final
/// assert!(FinalStatus::new(700).is_err()); // no such class
/// # Ok::<(), sipbench::CommandError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FinalStatus(u16);

impl FinalStatus {
    /// 200 OK.
    pub const OK: FinalStatus = FinalStatus(200);
    /// 403 Forbidden.
    pub const FORBIDDEN: FinalStatus = FinalStatus(403);
    /// 404 Not Found.
    pub const NOT_FOUND: FinalStatus = FinalStatus(404);
    /// 405 Method Not Allowed.
    pub const METHOD_NOT_ALLOWED: FinalStatus = FinalStatus(405);
    /// 415 Unsupported Media Type.
    pub const UNSUPPORTED_MEDIA_TYPE: FinalStatus = FinalStatus(415);
    /// 480 Temporarily Unavailable.
    pub const TEMPORARILY_UNAVAILABLE: FinalStatus = FinalStatus(480);
    /// 486 Busy Here.
    pub const BUSY_HERE: FinalStatus = FinalStatus(486);
    /// 488 Not Acceptable Here.
    pub const NOT_ACCEPTABLE_HERE: FinalStatus = FinalStatus(488);
    /// 500 Server Internal Error.
    pub const SERVER_INTERNAL_ERROR: FinalStatus = FinalStatus(500);
    /// 503 Service Unavailable.
    pub const SERVICE_UNAVAILABLE: FinalStatus = FinalStatus(503);
    /// 603 Decline.
    pub const DECLINE: FinalStatus = FinalStatus(603);

    /// `code` when it is a final status (200–699).
    pub fn new(code: u16) -> Result<FinalStatus, CommandError> {
        if (200..=699).contains(&code) { Ok(FinalStatus(code)) } else { Err(CommandError::BadStatus(code)) }
    }

    /// The number.
    pub fn code(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for FinalStatus {
    type Error = CommandError;
    fn try_from(code: u16) -> Result<FinalStatus, CommandError> {
        FinalStatus::new(code)
    }
}

impl From<FinalStatus> for u16 {
    fn from(s: FinalStatus) -> u16 {
        s.0
    }
}

impl std::fmt::Display for FinalStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
