//! The SIP message layer: zero-copy parsing, typed header views, writing,
//! stream framing and SDP. No I/O, no clock.
//!
//! * `message/`: a parsed message (the buffer plus an index of its header
//!   lines), how it is parsed, framed and validated, and its typed views.
//! * `header/`: header names and what their values say (Via, name-addr,
//!   URI, parameters, CSeq, digest challenges).
//! * `write/`: writing responses and requests into a reused buffer.
//! * `sdp/`: session descriptions (RFC 4566) and offer/answer.
//! * `lex/`: the byte-level lexing all of them share.
//! * `transport`: UDP, TCP or TLS, as Via and URIs name them.

mod error;
pub(crate) mod header;
pub(crate) mod lex;
mod message;
mod method;
#[cfg(test)]
mod mutate;
pub mod sdp;
mod span;
mod transport;
pub(crate) mod write;

pub use error::{ParseError, ParseErrorKind, ParseLimits};
pub use header::digest;
pub use header::{
    CSeq, HeaderName, Host, MAGIC_COOKIE, NameAddr, Params, Scheme, SessionExpires, TokenParams,
};
pub use header::{Uri, Via};
pub use message::{Header, Message, StreamFrame, stream_frame, stream_message_len};
pub use method::Method;
pub use transport::Transport;
pub use write::{Builder, ResponseHead, Writer};

pub(crate) use write::put_short;
