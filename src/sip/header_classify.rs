//! Fast classification of raw header names, generated from the table in
//! `header_name.rs` (keep the two in step): one arm per (length, first
//! letter), so a lookup costs one or two comparisons.

use super::header_name::HeaderName;

/// Classifies a raw header name, long or compact, any case.
#[rustfmt::skip]
pub(crate) fn classify(name: &[u8]) -> HeaderName {
    let Some(&first) = name.first() else { return HeaderName::Other };
    let first = first.to_ascii_lowercase();
    if name.len() == 1 {
        return match first {
            b'v' => HeaderName::Via,
            b'f' => HeaderName::From,
            b't' => HeaderName::To,
            b'i' => HeaderName::CallId,
            b'm' => HeaderName::Contact,
            b'l' => HeaderName::ContentLength,
            b'c' => HeaderName::ContentType,
            b'k' => HeaderName::Supported,
            b'o' => HeaderName::Event,
            b'u' => HeaderName::AllowEvents,
            b'r' => HeaderName::ReferTo,
            b'b' => HeaderName::ReferredBy,
            b'x' => HeaderName::SessionExpires,
            b's' => HeaderName::Subject,
            b'e' => HeaderName::ContentEncoding,
            b'a' => HeaderName::AcceptContact,
            b'j' => HeaderName::RejectContact,
            b'd' => HeaderName::RequestDisposition,
            b'y' => HeaderName::Identity,
            b'n' => HeaderName::IdentityInfo,
            _ => HeaderName::Other,
        };
    }
    let is = |k: &Key| eq_ci(name, k);
    match (name.len(), first) {
        (2, b't') => if is(&const { key("To") }) { HeaderName::To } else { HeaderName::Other },
        (3, b'v') => if is(&const { key("Via") }) { HeaderName::Via } else { HeaderName::Other },
        (4, b'c') => if is(&const { key("CSeq") }) { HeaderName::CSeq } else { HeaderName::Other },
        (4, b'd') => if is(&const { key("Date") }) { HeaderName::Date } else { HeaderName::Other },
        (4, b'f') => if is(&const { key("From") }) { HeaderName::From } else { HeaderName::Other },
        (4, b'r') => if is(&const { key("RSeq") }) { HeaderName::Rseq } else if is(&const { key("RAck") }) { HeaderName::Rack } else { HeaderName::Other },
        (5, b'a') => if is(&const { key("Allow") }) { HeaderName::Allow } else { HeaderName::Other },
        (5, b'e') => if is(&const { key("Event") }) { HeaderName::Event } else { HeaderName::Other },
        (5, b'r') => if is(&const { key("Route") }) { HeaderName::Route } else { HeaderName::Other },
        (6, b'a') => if is(&const { key("Accept") }) { HeaderName::Accept } else { HeaderName::Other },
        (6, b'm') => if is(&const { key("Min-SE") }) { HeaderName::MinSe } else { HeaderName::Other },
        (6, b'r') => if is(&const { key("Reason") }) { HeaderName::Reason } else { HeaderName::Other },
        (6, b's') => if is(&const { key("Server") }) { HeaderName::Server } else { HeaderName::Other },
        (7, b'c') => if is(&const { key("Call-ID") }) { HeaderName::CallId } else if is(&const { key("Contact") }) { HeaderName::Contact } else { HeaderName::Other },
        (7, b'e') => if is(&const { key("Expires") }) { HeaderName::Expires } else { HeaderName::Other },
        (7, b'r') => if is(&const { key("Require") }) { HeaderName::Require } else { HeaderName::Other },
        (7, b's') => if is(&const { key("Subject") }) { HeaderName::Subject } else { HeaderName::Other },
        (7, b'w') => if is(&const { key("Warning") }) { HeaderName::Warning } else { HeaderName::Other },
        (8, b'i') => if is(&const { key("Identity") }) { HeaderName::Identity } else { HeaderName::Other },
        (8, b'r') => if is(&const { key("Refer-To") }) { HeaderName::ReferTo } else { HeaderName::Other },
        (9, b's') => if is(&const { key("Supported") }) { HeaderName::Supported } else { HeaderName::Other },
        (9, b't') => if is(&const { key("Timestamp") }) { HeaderName::Timestamp } else { HeaderName::Other },
        (10, b'u') => if is(&const { key("User-Agent") }) { HeaderName::UserAgent } else { HeaderName::Other },
        (11, b'm') => if is(&const { key("Min-Expires") }) { HeaderName::MinExpires } else { HeaderName::Other },
        (11, b'r') => if is(&const { key("Referred-By") }) { HeaderName::ReferredBy } else if is(&const { key("Retry-After") }) { HeaderName::RetryAfter } else { HeaderName::Other },
        (11, b'u') => if is(&const { key("Unsupported") }) { HeaderName::Unsupported } else { HeaderName::Other },
        (12, b'a') => if is(&const { key("Allow-Events") }) { HeaderName::AllowEvents } else { HeaderName::Other },
        (12, b'c') => if is(&const { key("Content-Type") }) { HeaderName::ContentType } else { HeaderName::Other },
        (12, b'm') => if is(&const { key("Max-Forwards") }) { HeaderName::MaxForwards } else { HeaderName::Other },
        (12, b'r') => if is(&const { key("Record-Route") }) { HeaderName::RecordRoute } else { HeaderName::Other },
        (13, b'a') => if is(&const { key("Authorization") }) { HeaderName::Authorization } else { HeaderName::Other },
        (13, b'i') => if is(&const { key("Identity-Info") }) { HeaderName::IdentityInfo } else { HeaderName::Other },
        (13, b'p') => if is(&const { key("Proxy-Require") }) { HeaderName::ProxyRequire } else { HeaderName::Other },
        (14, b'a') => if is(&const { key("Accept-Contact") }) { HeaderName::AcceptContact } else { HeaderName::Other },
        (14, b'c') => if is(&const { key("Content-Length") }) { HeaderName::ContentLength } else { HeaderName::Other },
        (14, b'r') => if is(&const { key("Reject-Contact") }) { HeaderName::RejectContact } else { HeaderName::Other },
        (15, b's') => if is(&const { key("Session-Expires") }) { HeaderName::SessionExpires } else { HeaderName::Other },
        (16, b'c') => if is(&const { key("Content-Encoding") }) { HeaderName::ContentEncoding } else { HeaderName::Other },
        (16, b'w') => if is(&const { key("WWW-Authenticate") }) { HeaderName::WwwAuthenticate } else { HeaderName::Other },
        (18, b'p') => if is(&const { key("Proxy-Authenticate") }) { HeaderName::ProxyAuthenticate } else { HeaderName::Other },
        (18, b's') => if is(&const { key("Subscription-State") }) { HeaderName::SubscriptionState } else { HeaderName::Other },
        (19, b'c') => if is(&const { key("Content-Disposition") }) { HeaderName::ContentDisposition } else { HeaderName::Other },
        (19, b'p') => if is(&const { key("Proxy-Authorization") }) { HeaderName::ProxyAuthorization } else { HeaderName::Other },
        (19, b'r') => if is(&const { key("Request-Disposition") }) { HeaderName::RequestDisposition } else { HeaderName::Other },
        _ => HeaderName::Other,
    }
}

/// A known name prepared at compile time: its bytes in lower case, in
/// 8-byte words, and where bit 0x20 may differ (letters only).
struct Key {
    len: usize,
    words: [u64; 3],
    folds: [u64; 3],
}

const fn key(name: &str) -> Key {
    let b = name.as_bytes();
    let mut k = Key { len: b.len(), words: [0; 3], folds: [0; 3] };
    let mut i = 0;
    while i < b.len() {
        let fold = if b[i].is_ascii_alphabetic() { 0x20u64 } else { 0 };
        k.words[i / 8] |= (b[i] as u64 | fold) << (8 * (i % 8));
        k.folds[i / 8] |= fold << (8 * (i % 8));
        i += 1;
    }
    k
}

/// Case-insensitive equality, 8 bytes per step: bit 0x20 is ignored only
/// where the known name has a letter, so '-' must match exactly and only
/// [A-Za-z] fold. A match thus also proves the raw name is a valid token.
#[inline]
fn eq_ci(raw: &[u8], k: &Key) -> bool {
    if raw.len() != k.len {
        return false;
    }
    raw.chunks(8)
        .zip(k.words.iter().zip(&k.folds))
        .all(|(chunk, (&word, &fold))| super::lex::load_word(chunk) | fold == word)
}
