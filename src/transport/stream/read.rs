//! The receiving side of a connection: bytes read (through rustls for
//! TLS) and framed into messages, the end of the stream and read errors
//! told apart (the peer closed between messages or mid-message, our
//! connect failed).

use std::io::{self, Read};

use super::{CloseCause, Framed, ReadTurn, StreamConn};
use crate::sip::ParseLimits;

/// Reads per readiness event before others get a turn.
const READS_PER_TURN: usize = 16;

impl StreamConn {
    /// Reads what the socket holds (a bounded turn), framing it; `on`
    /// gets each message and ping. `scratch` is the shard's read buffer.
    /// A short read ends the turn unless `to_end` (the peer closed: read
    /// on to the end of the stream).
    pub fn read(
        &mut self,
        scratch: &mut [u8],
        limits: &ParseLimits,
        on: &mut impl FnMut(Framed),
        to_end: bool,
    ) -> Result<ReadTurn, CloseCause> {
        for _ in 0..READS_PER_TURN {
            let n = match &mut self.tls {
                None => match self.sock.read(scratch) {
                    Ok(0) => return Err(self.eof()),
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(ReadTurn::Drained),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(_) => return Err(self.io_error()),
                },
                Some(tls) => match tls.read_tls(&mut self.sock) {
                    Ok(0) => return Err(self.eof()),
                    Ok(_) => {
                        self.open_records(scratch, limits, on)?;
                        continue;
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(ReadTurn::Drained),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(_) => return Err(self.io_error()),
                },
            };
            self.framer.push(&scratch[..n], limits, on).map_err(|_| CloseCause::Framing)?;
            if n < scratch.len() && !to_end {
                // A short read emptied the socket: whatever arrives next is
                // a new edge (epoll), so no read just to see EAGAIN.
                return Ok(ReadTurn::Drained);
            }
        }
        Ok(ReadTurn::More)
    }

    /// TLS: decrypts the records read, framing the plaintext.
    fn open_records(
        &mut self,
        scratch: &mut [u8],
        limits: &ParseLimits,
        on: &mut impl FnMut(Framed),
    ) -> Result<(), CloseCause> {
        let Some(tls) = &mut self.tls else { return Ok(()) };
        if tls.process_new_packets().is_err() {
            // Best effort: the alert rustls queued tells the peer why.
            let _ = tls.write_tls(&mut self.sock);
            return Err(CloseCause::Tls);
        }
        loop {
            match tls.reader().read(scratch) {
                Ok(0) => return Err(CloseCause::PeerClosed),
                Ok(n) => self.framer.push(&scratch[..n], limits, on).map_err(|_| CloseCause::Framing)?,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(_) => return Err(CloseCause::Tls),
            }
        }
    }

    /// A read failed: before our connect completed, the connect did.
    fn io_error(&self) -> CloseCause {
        if self.connected { CloseCause::Io } else { CloseCause::ConnectFailed }
    }

    fn eof(&self) -> CloseCause {
        match (self.connected, self.framer.pending()) {
            (false, _) => CloseCause::ConnectFailed,
            (true, 0) => CloseCause::PeerClosed,
            (true, _) => CloseCause::Truncated,
        }
    }
}
