//! `;name=value` parameter lists (Via, URIs, name-addrs, Event…).

use super::lex::{Split, split_param};

/// `;`-separated parameters, as `(name, value)` text pairs.
#[derive(Clone)]
pub struct Params<'a>(Split<'a>);

impl<'a> Params<'a> {
    /// Parameters from a raw `;a=1;b` region (leading `;` optional).
    pub(crate) fn new(s: &'a str) -> Self {
        Params(Split::new(s, b';'))
    }

    /// The value of the first parameter named `name` (any case); `Some("")`
    /// for a parameter without a value.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.clone().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.unwrap_or(""))
    }

    /// Whether a parameter named `name` is present.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

impl<'a> Iterator for Params<'a> {
    type Item = (&'a str, Option<&'a str>);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(split_param)
    }
}

impl std::fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}
