//! What a plain connection has queued and its socket has not taken yet:
//! whole messages, written with one `writev` while the socket takes them.
//! It holds no memory once drained.

use std::collections::VecDeque;
use std::io::{self, IoSlice, Write};

use bytes::{Buf, Bytes};

use super::CloseCause;

/// Queued messages gathered into one `writev`.
const IOVECS: usize = 16;

/// Messages waiting for the socket.
#[derive(Debug, Default)]
pub(super) struct OutQueue {
    queue: VecDeque<Bytes>,
    bytes: usize,
}

impl OutQueue {
    pub(super) fn push(&mut self, data: Bytes) {
        self.bytes += data.len();
        self.queue.push_back(data);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Bytes waiting.
    pub(super) fn bytes(&self) -> usize {
        self.bytes
    }

    /// Writes what `w` takes; true when everything went out.
    pub(super) fn write_to(&mut self, w: &mut impl Write) -> Result<bool, CloseCause> {
        while !self.queue.is_empty() {
            let written = {
                let slices: smallvec::SmallVec<[IoSlice<'_>; IOVECS]> =
                    self.queue.iter().take(IOVECS).map(|b| IoSlice::new(b)).collect();
                w.write_vectored(&slices)
            };
            match written {
                Ok(0) => return Err(CloseCause::Io),
                Ok(n) => self.consume(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(CloseCause::Io),
            }
        }
        if self.queue.capacity() > IOVECS {
            self.queue = VecDeque::new();
        }
        Ok(true)
    }

    /// Drops the first `n` bytes written.
    fn consume(&mut self, mut n: usize) {
        self.bytes = self.bytes.saturating_sub(n);
        while n > 0 {
            let Some(front) = self.queue.front_mut() else { return };
            if n >= front.len() {
                n -= front.len();
                self.queue.pop_front();
            } else {
                front.advance(n);
                n = 0;
            }
        }
    }
}
