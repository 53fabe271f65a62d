//! Cutting a byte stream into SIP messages (RFC 3261 §18.3): each by its
//! mandatory Content-Length, whatever the reads' boundaries; CRLF
//! keep-alives between messages, a double CRLF being a ping to answer with
//! one CRLF (RFC 5626 §4.4.1). Complete messages come out as exact-size
//! buffers, so none pins a read buffer; only an unfinished message is
//! kept, and its buffer is freed once it completes.

use bytes::{Buf, Bytes, BytesMut};

use crate::sip::{ParseError, ParseLimits, StreamFrame, stream_frame, stream_message_len};

/// What the stream held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Framed {
    /// One whole message.
    Message(Bytes),
    /// A double-CRLF ping (RFC 5626 §4.4.1): answer with `PONG`.
    Ping,
}

/// The pong answering a ping.
pub const PONG: &[u8] = b"\r\n";
/// The bytes of a ping.
const PING_LEN: usize = 4;

/// One stream's framing state: the unfinished message, and the keep-alive
/// bytes seen since the last message.
#[derive(Debug, Default)]
pub struct Framer {
    partial: BytesMut,
    /// Total length of the unfinished message once its head is known.
    need: Option<usize>,
    /// How far the unfinished head was searched for its end.
    searched: usize,
    crlfs: usize,
}

impl Framer {
    /// Bytes of an unfinished message held (0: between messages).
    pub fn pending(&self) -> usize {
        self.partial.len()
    }

    /// Memory held for the unfinished message.
    pub fn capacity(&self) -> usize {
        self.partial.capacity()
    }

    /// Frames `data`, the next bytes of the stream; `out` gets each whole
    /// message and ping in order. An error means the stream cannot be
    /// framed (no or bad Content-Length, too large): close it.
    pub fn push(
        &mut self,
        data: &[u8],
        limits: &ParseLimits,
        out: &mut impl FnMut(Framed),
    ) -> Result<(), ParseError> {
        if self.partial.is_empty() {
            let used = self.frame(data, limits, out)?;
            self.keep(&data[used..], limits)
        } else {
            self.partial.extend_from_slice(data);
            self.resume(limits, out)
        }
    }

    /// Frames what `buf` holds from its start; returns the bytes used.
    fn frame(
        &mut self,
        buf: &[u8],
        limits: &ParseLimits,
        out: &mut impl FnMut(Framed),
    ) -> Result<usize, ParseError> {
        let mut at = 0;
        while at < buf.len() {
            match stream_frame(&buf[at..], limits)? {
                StreamFrame::KeepAlive(n) => {
                    at += n;
                    self.crlfs += n;
                    while self.crlfs >= PING_LEN {
                        self.crlfs -= PING_LEN;
                        out(Framed::Ping);
                    }
                }
                StreamFrame::Message(n) => {
                    self.crlfs = 0;
                    out(Framed::Message(Bytes::copy_from_slice(&buf[at..at + n])));
                    at += n;
                }
                StreamFrame::Incomplete => break,
            }
        }
        Ok(at)
    }

    /// Keeps the start of an unfinished message, learning its length when
    /// its head is complete.
    fn keep(&mut self, rest: &[u8], limits: &ParseLimits) -> Result<(), ParseError> {
        if rest.is_empty() {
            self.partial = BytesMut::new();
            return Ok(());
        }
        self.partial.extend_from_slice(rest);
        self.learn_length(limits)
    }

    /// More bytes joined the unfinished message: frame it once complete,
    /// and whatever follows it.
    fn resume(&mut self, limits: &ParseLimits, out: &mut impl FnMut(Framed)) -> Result<(), ParseError> {
        if self.need.is_none() {
            self.learn_length(limits)?;
        }
        match self.need {
            Some(n) if self.partial.len() >= n => {
                self.crlfs = 0;
                out(Framed::Message(Bytes::copy_from_slice(&self.partial[..n])));
                self.partial.advance(n);
                self.need = None;
                self.searched = 0;
                let rest = std::mem::take(&mut self.partial);
                let used = self.frame(&rest, limits, out)?;
                self.keep(&rest[used..], limits)
            }
            _ => Ok(()),
        }
    }

    /// Finds the unfinished message's length once its head has ended,
    /// searching only the bytes not searched before, so a slow sender
    /// costs no rescans; a head that cannot end within the size limit is
    /// an error at once.
    fn learn_length(&mut self, limits: &ParseLimits) -> Result<(), ParseError> {
        let tail = &self.partial[self.searched.saturating_sub(3)..];
        let ended = memchr::memmem::find(tail, b"\r\n\r\n").is_some()
            || memchr::memmem::find(tail, b"\n\n").is_some();
        self.searched = self.partial.len();
        if ended || self.partial.len() > limits.max_message_size {
            self.need = stream_message_len(&self.partial, limits)?;
        }
        Ok(())
    }
}
