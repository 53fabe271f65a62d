//! A Via value remembered as byte offsets into the text it was read
//! from: what a message keeps of its top Via instead of re-parsing it,
//! and what the one-pass parser (`via_plain`) produces directly.

use super::via::{KnownParams, Via};

/// A part of a Via value as byte offsets into it; `NONE` for an absent
/// parameter. Values longer than 64 KiB never reach here (message cap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cut(pub(super) u16, pub(super) u16);

pub(crate) const NONE: Cut = Cut(u16::MAX, u16::MAX);

/// Where the parts of one Via value lie in the text it was read from:
/// what a message remembers of its top Via instead of re-parsing it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ViaCuts {
    pub(super) protocol: Cut,
    pub(super) version: Cut,
    pub(super) transport: Cut,
    pub(super) host: Cut,
    pub(super) sent_by: Cut,
    pub(super) params: Cut,
    pub(super) port: Option<u16>,
    pub(super) known: [Cut; 4],
}

pub(super) fn cut(a: usize, z: usize) -> Cut {
    Cut(a as u16, z as u16)
}

impl ViaCuts {
    /// The cuts of `via`, a Via parsed from `text` (the general parser's
    /// result); a slice from elsewhere becomes empty.
    pub(crate) fn of(text: &str, via: &Via<'_>) -> ViaCuts {
        let at = |s: &str| {
            let a = (s.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
            if a.saturating_add(s.len()) <= text.len() && text.len() < usize::from(u16::MAX) {
                cut(a, a + s.len())
            } else {
                Cut(0, 0)
            }
        };
        let k = &via.known;
        ViaCuts {
            protocol: at(via.protocol),
            version: at(via.version),
            transport: at(via.transport),
            host: at(via.host),
            sent_by: at(via.sent_by),
            params: at(via.params),
            port: via.port,
            known: [k.branch, k.received, k.rport, k.maddr].map(|p| p.map_or(NONE, at)),
        }
    }

    /// The Via these cuts describe in `text`.
    pub(crate) fn apply<'a>(&self, text: &'a str) -> Via<'a> {
        // Every cut is at an ASCII byte or the end, so each piece is UTF-8.
        self.apply_with(text.as_bytes(), |b| std::str::from_utf8(b).unwrap_or(""))
    }

    /// The Via these cuts describe in `text`, each piece made a `&str` by
    /// `text_of` (a message's own conversion skips the UTF-8 check when
    /// its head is ASCII).
    #[inline]
    pub(crate) fn apply_with<'a>(&self, text: &'a [u8], text_of: impl Fn(&'a [u8]) -> &'a str) -> Via<'a> {
        let get = |c: Cut| text_of(text.get(usize::from(c.0)..usize::from(c.1)).unwrap_or(&[]));
        let [branch, received, rport, maddr] = self.known.map(|c| (c != NONE).then(|| get(c)));
        Via {
            protocol: get(self.protocol),
            version: get(self.version),
            transport: get(self.transport),
            host: get(self.host),
            port: self.port,
            sent_by: get(self.sent_by),
            params: get(self.params),
            known: KnownParams { branch, received, rport, maddr },
        }
    }

    /// The branch (when present) and the sent-by in `text`.
    pub(crate) fn branch_and_sent_by<'a>(&self, text: &'a [u8]) -> (Option<&'a [u8]>, &'a [u8]) {
        let get = |c: Cut| text.get(usize::from(c.0)..usize::from(c.1)).unwrap_or(&[]);
        let branch = self.known[0];
        ((branch != NONE).then(|| get(branch)), get(self.sent_by))
    }

    /// The value up to its last part and the host, in `text`, and whether
    /// it carries `received` or `rport` (which a response fills in anew).
    pub(crate) fn plain_parts<'a>(&self, text: &'a [u8]) -> Option<(&'a [u8], &'a [u8], bool)> {
        let [_, received, rport, _] = self.known;
        let last = if self.params.0 == self.params.1 { self.sent_by } else { self.params };
        let value = text.get(..usize::from(last.1))?;
        let host = text.get(usize::from(self.host.0)..usize::from(self.host.1))?;
        Some((value, host, received != NONE || rport != NONE))
    }

    /// What says where a response goes: whether `rport` is present, the
    /// sent-by port, and `maddr` (when present) in `text`.
    pub(crate) fn reply_parts<'a>(&self, text: &'a [u8]) -> (bool, Option<u16>, Option<&'a [u8]>) {
        let [_, _, rport, maddr] = self.known;
        let maddr =
            (maddr != NONE).then(|| text.get(usize::from(maddr.0)..usize::from(maddr.1)).unwrap_or(&[]));
        (rport != NONE, self.port, maddr)
    }

    /// Where the value these cuts describe ends (its last part's end).
    pub(crate) fn end(&self) -> usize {
        usize::from(self.params.1)
    }
}
