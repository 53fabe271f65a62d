//! The Via parameters the transaction layer reads on every message
//! (branch, received, rport, maddr), found in the one pass that parses a
//! Via.

use crate::sip::header::params::Params;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct KnownParams<'a> {
    pub(crate) branch: Option<&'a str>,
    pub(crate) received: Option<&'a str>,
    pub(crate) rport: Option<&'a str>,
    pub(crate) maddr: Option<&'a str>,
}

impl<'a> KnownParams<'a> {
    /// Records a parameter when it is one of the known four (first wins).
    #[inline]
    pub(crate) fn note(&mut self, name: &str, value: &'a str) {
        let slot = match name.len() {
            6 if name.eq_ignore_ascii_case("branch") => &mut self.branch,
            8 if name.eq_ignore_ascii_case("received") => &mut self.received,
            5 if name.eq_ignore_ascii_case("rport") => &mut self.rport,
            5 if name.eq_ignore_ascii_case("maddr") => &mut self.maddr,
            _ => return,
        };
        slot.get_or_insert(value);
    }

    pub(crate) fn scan(params: &'a str) -> Self {
        let mut k = KnownParams::default();
        for (name, value) in Params::new(params) {
            k.note(name, value.unwrap_or(""));
        }
        k
    }
}
