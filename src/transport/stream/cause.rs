//! Why a connection closed or was refused: each counted by cause.

/// Why a connection closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseCause {
    /// The peer closed it between messages.
    PeerClosed,
    /// The peer closed it in the middle of a message.
    Truncated,
    /// No message either way for the idle timeout.
    Idle,
    /// A message (or the TLS handshake) did not complete in time once its
    /// first byte arrived (slowloris).
    MessageTimeout,
    /// The stream could not be framed (Content-Length missing, bad or too
    /// large, a head beyond the size limit, bytes that are not SIP).
    Framing,
    /// The TLS handshake or a record failed (untrusted or missing
    /// certificate, protocol error).
    Tls,
    /// The peer does not read: its output stayed over the limit.
    OutputFull,
    /// Our connection attempt failed.
    ConnectFailed,
    /// A read or write failed.
    Io,
    /// A call we placed over a connection of its own ended.
    Released,
    /// The engine stopped.
    Shutdown,
}

impl CloseCause {
    /// Every cause, in index order.
    pub const ALL: [CloseCause; 11] = [
        CloseCause::PeerClosed,
        CloseCause::Truncated,
        CloseCause::Idle,
        CloseCause::MessageTimeout,
        CloseCause::Framing,
        CloseCause::Tls,
        CloseCause::OutputFull,
        CloseCause::ConnectFailed,
        CloseCause::Io,
        CloseCause::Released,
        CloseCause::Shutdown,
    ];

    /// The name in reports.
    pub fn name(self) -> &'static str {
        match self {
            CloseCause::PeerClosed => "peer_closed",
            CloseCause::Truncated => "truncated",
            CloseCause::Idle => "idle_timeout",
            CloseCause::MessageTimeout => "message_timeout",
            CloseCause::Framing => "framing",
            CloseCause::Tls => "tls",
            CloseCause::OutputFull => "output_full",
            CloseCause::ConnectFailed => "connect_failed",
            CloseCause::Io => "io_error",
            CloseCause::Released => "released",
            CloseCause::Shutdown => "shutdown",
        }
    }

    /// Its index in `ALL`.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Why an incoming connection was refused at accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefuseCause {
    /// The total connection limit was reached.
    Total,
    /// Its source address has as many connections as allowed.
    PerSource,
    /// The process ran out of file descriptors.
    Descriptors,
}

impl RefuseCause {
    /// Every cause, in index order.
    pub const ALL: [RefuseCause; 3] = [RefuseCause::Total, RefuseCause::PerSource, RefuseCause::Descriptors];

    /// The name in reports.
    pub fn name(self) -> &'static str {
        match self {
            RefuseCause::Total => "total_limit",
            RefuseCause::PerSource => "per_source_limit",
            RefuseCause::Descriptors => "descriptors",
        }
    }

    /// Its index in `ALL`.
    pub fn index(self) -> usize {
        self as usize
    }
}
