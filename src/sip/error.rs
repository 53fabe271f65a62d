//! Typed parse errors and the caps that bound work on hostile input.

use thiserror::Error;

/// What was wrong with a message. Paired with a byte offset in [`ParseError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ParseErrorKind {
    /// Nothing but whitespace / CRLF keep-alives.
    #[error("empty message")]
    Empty,
    /// The header section never ends with an empty line.
    #[error("truncated message: no end of headers")]
    Truncated,
    /// The datagram is larger than the configured cap.
    #[error("message exceeds {limit} bytes")]
    MessageTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A start or header line is longer than the configured cap.
    #[error("line exceeds {limit} bytes")]
    LineTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// More header lines than the configured cap.
    #[error("more than {limit} headers")]
    TooManyHeaders {
        /// The limit in header lines.
        limit: usize,
    },
    /// The first line is neither a request line nor a status line.
    #[error("malformed start line")]
    BadStartLine,
    /// The method token has illegal characters.
    #[error("malformed method")]
    BadMethod,
    /// Request-URI missing or with illegal characters.
    #[error("malformed Request-URI")]
    BadRequestUri,
    /// A SIP version other than SIP/2.0.
    #[error("unsupported SIP version")]
    BadVersion,
    /// Status code not three digits in 100..=699.
    #[error("malformed status code")]
    BadStatusCode,
    /// A header line without a colon.
    #[error("header line without colon")]
    MissingColon,
    /// Illegal characters in a header name (or an empty name).
    #[error("malformed header name")]
    BadHeaderName,
    /// Control characters (NUL, etc.) inside a header value or start line.
    #[error("illegal control character")]
    IllegalCharacter,
    /// The start line or headers are not UTF-8.
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// Content-Length is not a non-negative decimal that fits.
    #[error("malformed Content-Length")]
    BadContentLength,
    /// Content-Length says more bytes than the datagram holds.
    #[error("Content-Length exceeds the datagram")]
    ContentLengthExceedsDatagram,
    /// The body is larger than the configured cap.
    #[error("body exceeds {limit} bytes")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A mandatory header is absent.
    #[error("missing {0} header")]
    MissingHeader(&'static str),
    /// A single-valued header appears more than once.
    #[error("duplicate {0} header")]
    DuplicateHeader(&'static str),
    /// CSeq is not `number method`, or the number is out of range.
    #[error("malformed CSeq")]
    BadCSeq,
    /// The CSeq method differs from the request method.
    #[error("CSeq method does not match the request method")]
    CSeqMethodMismatch,
    /// A URI that does not follow RFC 3261 §19.1 / RFC 3966 syntax.
    #[error("malformed URI")]
    BadUri,
    /// A typed header view could not read its value.
    #[error("malformed {0} header")]
    BadHeaderValue(&'static str),
}

impl ParseErrorKind {
    /// Names of the categories `category` sorts errors into, for counters.
    pub const CATEGORIES: [&'static str; 11] = [
        "empty",
        "truncated",
        "too_large",
        "headers_too_large",
        "bad_start_line",
        "bad_header",
        "bad_bytes",
        "bad_content_length",
        "missing_header",
        "duplicate_header",
        "bad_cseq",
    ];

    /// This error's index into `CATEGORIES`.
    pub fn category(&self) -> usize {
        use ParseErrorKind::*;
        match self {
            Empty => 0,
            Truncated => 1,
            MessageTooLarge { .. } | BodyTooLarge { .. } => 2,
            LineTooLong { .. } | TooManyHeaders { .. } => 3,
            BadStartLine | BadMethod | BadRequestUri | BadVersion | BadStatusCode => 4,
            MissingColon | BadHeaderName | BadHeaderValue(_) | BadUri => 5,
            IllegalCharacter | InvalidUtf8 => 6,
            BadContentLength | ContentLengthExceedsDatagram => 7,
            MissingHeader(_) => 8,
            DuplicateHeader(_) => 9,
            BadCSeq | CSeqMethodMismatch => 10,
        }
    }
}

/// A parse failure: what and where (byte offset into the input).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("{kind} at byte {offset}")]
pub struct ParseError {
    /// What went wrong.
    pub kind: ParseErrorKind,
    /// Byte offset in the input where it was found.
    pub offset: usize,
}

impl ParseError {
    pub(crate) fn new(kind: ParseErrorKind, offset: usize) -> Self {
        ParseError { kind, offset }
    }

    /// A short reason phrase for a 400 response that names the fault.
    pub fn reason_phrase(&self) -> &'static str {
        use ParseErrorKind::*;
        match self.kind {
            MissingHeader("Via") => "Bad Request - Missing Via",
            MissingHeader("From") => "Bad Request - Missing From",
            MissingHeader("To") => "Bad Request - Missing To",
            MissingHeader("Call-ID") => "Bad Request - Missing Call-ID",
            MissingHeader("CSeq") => "Bad Request - Missing CSeq",
            MissingHeader(_) => "Bad Request - Missing Header",
            DuplicateHeader(_) => "Bad Request - Duplicate Header",
            BadCSeq => "Bad Request - Bad CSeq",
            CSeqMethodMismatch => "Bad Request - CSeq Method Mismatch",
            BadContentLength | ContentLengthExceedsDatagram => "Bad Request - Bad Content-Length",
            BadVersion => "Bad Request - Unsupported SIP Version",
            BadHeaderValue("Via") => "Bad Request - Malformed Via",
            BadHeaderValue("From") => "Bad Request - Malformed From",
            BadHeaderValue("To") => "Bad Request - Malformed To",
            BadHeaderValue("Contact") => "Bad Request - Malformed Contact",
            BadHeaderValue(_) => "Bad Request - Malformed Header",
            BadRequestUri => "Bad Request - Malformed Request-URI",
            BadUri => "Bad Request - Malformed URI",
            BadStartLine | BadMethod => "Bad Request - Malformed Request Line",
            Truncated => "Bad Request - Headers Never End",
            IllegalCharacter | InvalidUtf8 => "Bad Request - Illegal Characters",
            BodyTooLarge { .. } | MessageTooLarge { .. } => "Bad Request - Message Too Large",
            TooManyHeaders { .. } | LineTooLong { .. } => "Bad Request - Headers Too Large",
            _ => "Bad Request - Malformed Message",
        }
    }
}

/// Caps on the work one message may cause. Defaults suit UDP SIP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseLimits {
    /// Largest accepted message in bytes (hard ceiling: 65,535, the UDP limit).
    pub max_message_size: usize,
    /// Most header lines (a folded header counts once).
    pub max_headers: usize,
    /// Longest start or header line, folds included.
    pub max_line_len: usize,
    /// Largest body.
    pub max_body_size: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits { max_message_size: 65_535, max_headers: 128, max_line_len: 8_192, max_body_size: 32_768 }
    }
}
