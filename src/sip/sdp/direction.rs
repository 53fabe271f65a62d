//! Stream direction attributes and RFC 3264 hold detection.

use super::session::SessionDescription;

/// `a=sendrecv` / `a=sendonly` / `a=recvonly` / `a=inactive`. Absent means `SendRecv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    #[default]
    /// a=sendrecv (the default).
    SendRecv,
    /// a=sendonly.
    SendOnly,
    /// a=recvonly.
    RecvOnly,
    /// a=inactive.
    Inactive,
}

impl Direction {
    /// The direction an answerer mirrors back (RFC 3264 §6.1).
    pub const fn answer(self) -> Direction {
        match self {
            Direction::SendOnly => Direction::RecvOnly,
            Direction::RecvOnly => Direction::SendOnly,
            other => other,
        }
    }

    /// The attribute name, e.g. `"sendrecv"`.
    pub const fn as_attr(self) -> &'static str {
        match self {
            Direction::SendRecv => "sendrecv",
            Direction::SendOnly => "sendonly",
            Direction::RecvOnly => "recvonly",
            Direction::Inactive => "inactive",
        }
    }

    /// Parses an attribute name; attribute names are case-sensitive (RFC 4566 §5.13).
    pub fn from_attr(name: &str) -> Option<Direction> {
        match name {
            "sendrecv" => Some(Direction::SendRecv),
            "sendonly" => Some(Direction::SendOnly),
            "recvonly" => Some(Direction::RecvOnly),
            "inactive" => Some(Direction::Inactive),
            _ => None,
        }
    }

    /// Whether the side using this direction sends media.
    pub const fn sends(self) -> bool {
        matches!(self, Direction::SendRecv | Direction::SendOnly)
    }

    /// Whether the side using this direction receives media.
    pub const fn receives(self) -> bool {
        matches!(self, Direction::SendRecv | Direction::RecvOnly)
    }

    /// Drops the sending half: used when the peer's address is null.
    pub(super) const fn without_send(self) -> Direction {
        match self {
            Direction::SendRecv => Direction::RecvOnly,
            Direction::SendOnly => Direction::Inactive,
            other => other,
        }
    }
}

/// Whether an offer puts the call on hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HoldState {
    /// Media flows.
    Active,
    /// The offerer holds the call.
    Held,
}

/// RFC 3264 §8.4: held when every live audio stream (port != 0) is `sendonly`
/// or `inactive`, or points at a null address (RFC 2543 `c=0.0.0.0`).
/// No live audio at all is `Active`: there is nothing to hold.
pub fn hold_state(sdp: &SessionDescription<'_>) -> HoldState {
    let mut audio = sdp.media.iter().filter(|m| m.is_audio() && m.port != 0).peekable();
    if audio.peek().is_none() {
        return HoldState::Active;
    }
    let held = audio.all(|m| {
        !m.effective_direction(sdp).receives()
            || m.effective_connection(sdp).is_some_and(|c| c.is_null_hold())
    });
    if held { HoldState::Held } else { HoldState::Active }
}
