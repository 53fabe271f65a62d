//! The SIP message layer: zero-copy parsing, typed header views, writing,
//! stream framing and SDP. No I/O, no clock.

mod byte_search;
mod datagram;
pub mod digest;
mod encode;
mod error;
mod escape;
mod fields;
mod framing;
mod header_classify;
mod header_lines;
mod header_name;
mod index;
pub(crate) mod ip_literal;
mod lex;
mod memo;
mod message;
mod method;
mod method_word;
#[cfg(test)]
mod mutate;
mod name_addr;
mod params;
mod parse;
pub(crate) mod put_short;
mod request_writer;
mod response_via;
mod scan;
mod scan_block;
pub mod sdp;
mod start_line;
mod tag_plain;
mod uri;
mod validate;
mod via;
mod via_cuts;
mod via_plain;
mod views;
mod writer;

pub use error::{ParseError, ParseErrorKind, ParseLimits};
pub use fields::{CSeq, SessionExpires, TokenParams};
pub use framing::{StreamFrame, stream_frame};
pub use header_name::HeaderName;
pub use message::{Header, Message};
pub use method::Method;
pub use name_addr::NameAddr;
pub use params::Params;
pub use uri::{Host, Scheme, Uri};
pub use via::{MAGIC_COOKIE, Via};
pub use writer::{Builder, ResponseHead, Writer};
