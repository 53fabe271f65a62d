//! One TCP or TLS connection carrying SIP: reads framed into messages
//! (`framer`), writes queued and sent when the socket takes them, TLS by
//! rustls. It holds no buffer while idle: an unfinished message or
//! unsent output only. Limits and timeouts are the runtime's; this says
//! what happened.

mod cause;
mod framer;
mod out_queue;
mod read;

use std::io::{self, Write};
use std::net::SocketAddr;

use bytes::Bytes;
use mio::net::TcpStream;
use out_queue::OutQueue;

pub use cause::{CloseCause, RefuseCause};
pub use framer::{Framed, Framer, PONG};

use crate::sip::Transport;

/// What a read turn found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadTurn {
    /// Everything was read.
    Drained,
    /// More may be waiting: come back next turn.
    More,
}

/// A SIP connection over TCP, plain or TLS.
pub struct StreamConn {
    sock: TcpStream,
    /// The far end's address.
    pub peer: SocketAddr,
    /// TCP or TLS.
    pub transport: Transport,
    tls: Option<Box<rustls::Connection>>,
    framer: Framer,
    /// Plain output waiting for the socket.
    out: OutQueue,
    /// TLS: plaintext given to rustls since its records last all went out.
    tls_out: usize,
    connected: bool,
}

impl StreamConn {
    /// A connection we accepted (`tls`: its server side) or opened, still
    /// connecting (`tls`: its client side).
    pub fn new(
        sock: TcpStream,
        peer: SocketAddr,
        tls: Option<rustls::Connection>,
        accepted: bool,
    ) -> StreamConn {
        let _ = sock.set_nodelay(true);
        let transport = if tls.is_some() { Transport::Tls } else { Transport::Tcp };
        StreamConn {
            sock,
            peer,
            transport,
            tls: tls.map(Box::new),
            framer: Framer::default(),
            out: OutQueue::default(),
            tls_out: 0,
            connected: accepted,
        }
    }

    /// The socket, to register with a poll.
    pub fn socket(&mut self) -> &mut TcpStream {
        &mut self.sock
    }

    /// A connection we opened: whether the connect completed (call on a
    /// writable event); an error when it failed.
    pub fn finish_connect(&mut self) -> io::Result<bool> {
        if self.connected {
            return Ok(true);
        }
        if let Some(e) = self.sock.take_error()? {
            return Err(e);
        }
        match self.sock.peer_addr() {
            Ok(_) => {
                self.connected = true;
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotConnected => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The TCP connect completed (always, for one we accepted).
    pub fn connected(&self) -> bool {
        self.connected
    }

    /// Connected (TCP) and, for TLS, past the handshake.
    pub fn established(&self) -> bool {
        self.connected && !self.tls.as_ref().is_some_and(|t| t.is_handshaking())
    }

    /// Bytes of an unfinished message held.
    pub fn pending_in(&self) -> usize {
        self.framer.pending()
    }

    /// Bytes queued and not yet taken by the socket.
    pub fn pending_out(&self) -> usize {
        self.out.bytes() + self.tls_out
    }

    /// Queues a message (sent by `flush`).
    pub fn queue(&mut self, data: Bytes) {
        match &mut self.tls {
            Some(tls) => {
                self.tls_out += data.len();
                let _ = tls.writer().write_all(&data);
            }
            None => self.out.push(data),
        }
    }

    /// Whether anything waits to be written (TLS handshake records too).
    pub fn wants_write(&self) -> bool {
        !self.out.is_empty() || self.tls.as_ref().is_some_and(|t| t.wants_write())
    }

    /// Writes what the socket takes: true when everything went out.
    pub fn flush(&mut self) -> Result<bool, CloseCause> {
        if !self.connected {
            return Ok(false);
        }
        match &mut self.tls {
            Some(tls) => loop {
                if !tls.wants_write() {
                    self.tls_out = 0;
                    return Ok(true);
                }
                match tls.write_tls(&mut self.sock) {
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => return Err(CloseCause::Io),
                }
            },
            None => self.out.write_to(&mut self.sock),
        }
    }

    /// Closing cleanly: TLS close_notify, then the write side (best
    /// effort; the socket closes when dropped).
    pub fn shut_down(&mut self) {
        if let Some(tls) = &mut self.tls {
            tls.send_close_notify();
            let _ = tls.write_tls(&mut self.sock);
        }
        let _ = self.sock.shutdown(std::net::Shutdown::Write);
    }
}
