//! SDP (RFC 4566) for SIP calls: a zero-copy parser, the RFC 3264
//! offer/answer logic for a single G.711 audio stream, and writers.
//!
//! - [`parse`] borrows every string from the body and never panics on
//!   hostile input; errors carry a byte offset.
//! - [`negotiate`] builds an [`Answer`] from an offer and [`LocalMedia`];
//!   [`write_answer`] serialises it.
//! - [`hold_state`] and [`write_offer`] cover re-INVITE hold/resume.
//!
//! [`negotiate_with`] lets the caller accept `RTP/SAVP` streams (SRTP: the
//! core reads their `a=crypto` lines); the writers take the extra
//! attribute lines (ours) that go with them.
//!
//! Not supported (refused in answers): video, more than one audio stream.

mod body_scan;
mod codec;
mod direction;
mod error;
mod lines;
mod media;
mod negotiate;
mod parse;
mod session;
mod write;

pub use codec::{Codec, LocalMedia, TELEPHONE_EVENT_PT};
pub use direction::{Direction, HoldState, hold_state};
pub use error::{SdpError, SdpErrorKind};
pub use media::{MediaDescription, RtpMap};
pub use negotiate::{Answer, AnsweredMedia, NegotiateError, negotiate, negotiate_with};
pub use parse::{MAX_MEDIA, parse};
pub use session::{AddrType, Connection, Origin, SessionDescription};
pub use write::{write_answer, write_answer_with, write_offer, write_offer_with};
