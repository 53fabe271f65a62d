//! The method of a request line read from its first word: one SWAR
//! search for the space and one compare per known method (the start
//! line's common case; `Method::from_token` reads any other).

use crate::sip::method::Method;

/// The known methods of up to 7 letters, by the word their bytes make.
const SHORT: [(u64, Method); 12] = {
    let all = [
        Method::Invite,
        Method::Ack,
        Method::Bye,
        Method::Cancel,
        Method::Options,
        Method::Info,
        Method::Update,
        Method::Prack,
        Method::Notify,
        Method::Refer,
        Method::Message,
        Method::Publish,
    ];
    let mut t = [(0, Method::Extension); 12];
    let mut i = 0;
    while i < all.len() {
        let name = all[i].as_str().as_bytes();
        let mut j = 0;
        while j < name.len() {
            t[i].0 |= (name[j] as u64) << (8 * j);
            j += 1;
        }
        t[i].1 = all[i];
        i += 1;
    }
    t
};

/// The method that opens a request line, from the line's first 8 bytes:
/// a known method of up to 7 letters and its length, when a space follows
/// it. `None` for anything else, which the general path then reads.
#[inline]
pub(crate) fn known_method(first: u64) -> Option<(Method, usize)> {
    // The lowest zero byte of `first ^ spaces` is the first space.
    let x = first ^ 0x2020_2020_2020_2020;
    let spaces = x.wrapping_sub(0x0101_0101_0101_0101) & !x & 0x8080_8080_8080_8080;
    let len = (spaces.trailing_zeros() / 8) as usize;
    let token = first & u64::MAX.checked_shr(64 - 8 * len as u32).unwrap_or(0);
    SHORT.iter().find(|&&(w, _)| w == token).map(|&(_, m)| (m, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-word reader agrees with `from_token` on every known method
    /// and near miss, and declines what it cannot tell (long methods,
    /// extensions, no space in the first 8 bytes).
    #[test]
    fn known_method_agrees_with_from_token() {
        let word = |s: &str| {
            let mut b = [b'x'; 8];
            let n = s.len().min(8);
            b[..n].copy_from_slice(&s.as_bytes()[..n]);
            u64::from_le_bytes(b)
        };
        for &m in Method::ALL.iter().filter(|&&m| m != Method::Extension) {
            let line = format!("{} sip:a@b SIP/2.0", m.as_str());
            let want = (m.as_str().len() < 8).then_some((m, m.as_str().len()));
            assert_eq!(known_method(word(&line)), want, "{line}");
        }
        for t in
            ["invite x", "INVITES x", "INVIT x", "ACKS x", "BYe x", " INVITE", "INFOx x", "OPTIONS", "X y"]
        {
            assert_eq!(known_method(word(t)), None, "{t}");
        }
    }
}
