//! `;name=value` parameter lists (Via, URIs, name-addrs, Event…).

use crate::sip::lex::{Split, split_param, sub, trim_str};

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
        match self.0.rest().map(|s| get_plain(s, name)) {
            Some(Plain::Found(v)) => v,
            None => None,
            Some(Plain::Quoted) => {
                self.clone().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.unwrap_or(""))
            }
        }
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

enum Plain<'a> {
    Found(Option<&'a str>),
    /// A quote or `<` appeared: the quote-aware iterator must decide.
    Quoted,
}

/// The lookup for the usual unquoted parameter text: items found by
/// memchr, each name compared in place, only the match split.
fn get_plain<'a>(s: &'a str, name: &str) -> Plain<'a> {
    let (b, want) = (s.as_bytes(), name.as_bytes());
    if memchr::memchr2(b'"', b'<', b).is_some() {
        return Plain::Quoted;
    }
    let lws = |c: &u8| crate::sip::lex::is_lws(*c);
    let mut start = 0;
    while start <= b.len() {
        let end = crate::sip::lex::find_byte(&b[start..], b';').map_or(b.len(), |i| start + i);
        let item = &b[start..end];
        let a = item.iter().take_while(|c| lws(c)).count();
        if item.len() - a >= want.len() && item[a..a + want.len()].eq_ignore_ascii_case(want) {
            let after = &item[a + want.len()..];
            let gap = after.iter().take_while(|c| lws(c)).count();
            match after.get(gap) {
                None if !want.is_empty() => return Plain::Found(Some("")),
                Some(b'=') => {
                    let v_at = start + a + want.len() + gap + 1;
                    return Plain::Found(Some(trim_str(sub(s, v_at, end))));
                }
                _ => {}
            }
        }
        start = end + 1;
    }
    Plain::Found(None)
}

#[cfg(test)]
mod tests {
    use super::Params;

    /// The one-pass lookup answers what the quote-aware iterator does.
    #[test]
    fn plain_lookup_agrees_with_the_iterator() {
        let alphabet = b";=tagTAG x\"<>,1";
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 24) as usize;
            let s: String = (0..len)
                .map(|i| alphabet[((seed >> (i % 50)) as usize + i * 7) % alphabet.len()] as char)
                .collect();
            let p = Params::new(&s);
            for name in ["tag", "TAG", "x", "t"] {
                let want =
                    p.clone().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.unwrap_or(""));
                assert_eq!(p.get(name), want, "{s:?} {name}");
            }
        }
        assert_eq!(Params::new(";tag=a1;foo").get("TAG"), Some("a1"));
        assert_eq!(Params::new("; foo ; tag = b ").get("tag"), Some("b"));
    }
}
