//! The keys a re-key replaced, kept a while for receiving: the peer seals
//! under its old key until the exchange that replaced it reaches its own
//! media, so packets under the old key are still in flight when the new
//! one takes over. They open what the new keys cannot, and go once a
//! packet authenticates under the new keys (the peer has switched) or
//! after `RETIRING_PACKETS` packets, so a peer that never switches cannot
//! keep an old key alive.

use smallvec::SmallVec;

use super::error::SrtpError;
use super::session_keys::SessionKeys;

/// Packets replaced keys may still open: about 2.5 s of 20 ms audio,
/// longer than an answer takes to reach a peer's media.
pub const RETIRING_PACKETS: u32 = 128;

/// A receiving context's replaced keys and how many packets they may
/// still open.
pub(crate) struct RetiringKeys {
    keys: SmallVec<[SessionKeys; 1]>,
    left: u32,
}

impl RetiringKeys {
    pub(crate) fn new(keys: SmallVec<[SessionKeys; 1]>) -> Box<RetiringKeys> {
        Box::new(RetiringKeys { keys, left: RETIRING_PACKETS })
    }

    /// What to make of a packet the current keys gave `current` for: a
    /// success ends the retiring keys; a failure other than a replay (the
    /// replay window is the source's, shared by both key sets) gets one
    /// more try under them (`open`), and the current keys' error stands
    /// when that fails too.
    pub(crate) fn fall_back(
        slot: &mut Option<Box<RetiringKeys>>,
        current: Result<usize, SrtpError>,
        open: impl FnOnce(&mut [SessionKeys]) -> Result<usize, SrtpError>,
    ) -> Result<usize, SrtpError> {
        let Err(e) = current else {
            *slot = None;
            return current;
        };
        let Some(r) = slot.as_deref_mut().filter(|_| e != SrtpError::Replay) else { return Err(e) };
        let Ok(n) = open(&mut r.keys) else { return Err(e) };
        r.left -= 1;
        if r.left == 0 {
            *slot = None;
        }
        Ok(n)
    }
}
