//! The From/To `tag` in one pass for the usual name-addr shape; anything
//! else is left to the general `NameAddr` parser, which this agrees with.

#[cfg(test)]
use super::name_addr::NameAddr;
use crate::sip::lex;
use crate::sip::method::is_token_char;

/// The `tag` of a From/To value of the usual shape (`[display] <uri>;params`
/// without quotes), in one pass; `None` when the general parser must
/// decide. Agrees with `NameAddr::parse(v)?.tag()` (tested below).
pub(crate) fn plain_tag(v: &str) -> Option<Option<&str>> {
    let b = v.as_bytes();
    // Plain index loops over these few-byte runs.
    let mut lt = 0;
    while lt < b.len() && (is_token_char(b[lt]) || b[lt] == b' ' || b[lt] == b'\t') {
        lt += 1;
    }
    if b.get(lt) != Some(&b'<') {
        return None;
    }
    let gt = lt + 1 + lex::find_byte(&b[lt + 1..], b'>')?;
    // An empty or LWS-padded `< uri >` is the general parser's to refuse.
    if gt == lt + 1 || lex::is_lws(b[lt + 1]) || lex::is_lws(b[gt - 1]) {
        return None;
    }
    let mut p = gt + 1;
    while p < b.len() && lex::is_lws(b[p]) {
        p += 1;
    }
    // What nearly every UA sends: `>;tag=<token>` and nothing after it.
    if b.len() > p + 5 && &b[p..p + 5] == b";tag=" {
        let mut t = p + 5;
        while t < b.len() && is_token_char(b[t]) {
            t += 1;
        }
        if t == b.len() {
            return Some(Some(lex::sub(v, p + 5, b.len())));
        }
    }
    if p < b.len() && b[p] != b';' || memchr::memchr2(b'"', b'<', &b[p..]).is_some() {
        return None;
    }
    let mut at = p;
    while at < b.len() {
        let end = lex::find_byte(&b[at + 1..], b';').map_or(b.len(), |i| at + 1 + i);
        let item = &b[at + 1..end];
        let a = item.iter().take_while(|&&c| lex::is_lws(c)).count();
        if item.len() >= a + 3 && item[a..a + 3].eq_ignore_ascii_case(b"tag") {
            let rest = &item[a + 3..];
            let gap = rest.iter().take_while(|&&c| lex::is_lws(c)).count();
            match rest.get(gap) {
                None => return Some(None),
                Some(b'=') => {
                    let from = at + 1 + a + 3 + gap + 1;
                    return Some(Some(lex::trim_str(lex::sub(v, from, end))).filter(|t| !t.is_empty()));
                }
                _ => {}
            }
        }
        at = end;
    }
    Some(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass tag agrees with the general parse wherever it answers.
    #[test]
    fn plain_tag_agrees_with_the_general_parse() {
        let seeds = [
            "sipp <sip:sipp@127.0.0.1:5061>;tag=4242SIPpTag001",
            "<sip:a@b>;tag=1;foo=bar",
            "Bob Smith <sip:b@c> ; TAG = x ; other",
            "<sip:a@b>;tagx=1;tag=2",
            "<sip:a@b>;tag",
            "<sip:a@b>;tag=",
            "<sip:a@b>",
            "\"Q\" <sip:a@b>;tag=q",
            "sip:a@b;tag=addr",
            "<sip:a@b> x;tag=1",
        ];
        let alphabet = b" ;=<>\"tagTAG1:@";
        let mut hits = 0;
        for v in crate::sip::mutate::mutations(&seeds, alphabet, 300, 2) {
            let v = lex::trim_str(&v);
            if let Some(fast) = plain_tag(v) {
                hits += 1;
                assert_eq!(Ok(fast), NameAddr::parse(v, "To").map(|n| n.tag()), "{v:?}");
            }
        }
        assert!(hits > 1000, "fast path used: {hits}");
    }
}
