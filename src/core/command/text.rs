//! The grammar application text must follow before the engine writes it
//! into a SIP message (RFC 3261 §25.1): tokens, reason phrases, URIs,
//! header values and display names. Nothing that passes can end a header
//! line early (CR, LF) or cut a message (NUL): no header injection.

use crate::sip::{Scheme, Uri};

/// Longest reason phrase, display name or header value we write.
pub(crate) const MAX_TEXT: usize = 1024;

/// `token` (RFC 3261 §25.1): a header name, a media type's parts.
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b))
}

/// `Reason-Phrase`: reserved, unreserved and escaped characters, UTF-8
/// beyond ASCII, spaces and tabs; nothing else (no quotes, no controls).
pub(crate) fn is_reason_phrase(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if b.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) => i += 2,
            c if c.is_ascii_alphanumeric() || c >= 0x80 || b" \t;/?:@&=+$,-_.!~*'()".contains(&c) => {}
            _ => return false,
        }
        i += 1;
    }
    !s.trim().is_empty() && s.len() <= MAX_TEXT
}

/// A header value: UTF-8 text and tabs, no control character (CR, LF and
/// NUL above all).
pub(crate) fn is_header_value(s: &str) -> bool {
    s.len() <= MAX_TEXT && !s.chars().any(|c| c.is_control() && c != '\t')
}

/// A URI we may write inside `<...>`: one word of printable ASCII that
/// parses as a sip:, sips: or tel: URI.
pub(crate) fn is_uri(s: &str) -> bool {
    uri(s).is_some()
}

/// The same, parsed.
pub(crate) fn uri(s: &str) -> Option<Uri<'_>> {
    let one_word = s.bytes().all(|b| (b'!'..=b'~').contains(&b) && !b"<>\"".contains(&b));
    let uri = Uri::parse(s).ok().filter(|_| one_word && s.len() <= MAX_TEXT)?;
    matches!(uri.scheme, Scheme::Sip | Scheme::Sips | Scheme::Tel).then_some(uri)
}

/// A display name: text that fits a quoted-string once `"` and `\` are
/// escaped (no control characters: CR, LF and NUL cannot be written).
pub(crate) fn is_display_name(s: &str) -> bool {
    s.len() <= MAX_TEXT && !s.chars().any(|c| c.is_control() && c != '\t')
}

/// `"display name" <uri>` with the name escaped as a quoted-string
/// (RFC 3261 §25.1 quoted-pair), or `<uri>` without one.
pub(crate) fn name_addr(display: Option<&str>, uri: &str) -> String {
    let mut s = String::with_capacity(display.map_or(0, |n| n.len() + 4) + uri.len() + 2);
    if let Some(name) = display {
        s.push('"');
        for c in name.chars() {
            if c == '"' || c == '\\' {
                s.push('\\');
            }
            s.push(c);
        }
        s.push_str("\" ");
    }
    s.push('<');
    s.push_str(uri);
    s.push('>');
    s
}

/// `type/subtype` with optional `;name=value` parameters, tokens (or
/// quoted values) only.
pub(crate) fn is_media_type(s: &str) -> bool {
    let mut parts = s.split(';');
    let head = parts.next().unwrap_or("").trim();
    let type_ok = matches!(head.split_once('/'), Some((a, b)) if is_token(a) && is_token(b));
    let param_ok = |p: &str| match p.trim().split_once('=') {
        Some((n, v)) => is_token(n.trim()) && (is_token(v.trim()) || is_quoted(v.trim())),
        None => false,
    };
    type_ok && parts.all(param_ok) && s.len() <= MAX_TEXT
}

/// A quoted-string without escapes or control characters.
fn is_quoted(s: &str) -> bool {
    s.len() >= 2
        && s.starts_with('"')
        && s.ends_with('"')
        && s[1..s.len() - 1].bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_phrases_follow_the_grammar() {
        for ok in ["Busy Here", "Busy Here - Try Later (5 min)", "Ocupado ahora", "Bes\u{e4}tzt", "100%25"] {
            assert!(is_reason_phrase(ok), "{ok:?}");
        }
        for bad in ["", "  ", "Busy\r\nX-Evil: 1", "nul\0", "a\"quote", "100%", "lf\n", "del\x7f"] {
            assert!(!is_reason_phrase(bad), "{bad:?}");
        }
        assert!(!is_reason_phrase(&"x".repeat(MAX_TEXT + 1)));
    }

    #[test]
    fn uris_are_one_word_of_a_known_scheme() {
        for ok in ["sip:bob@127.0.0.1:5099", "sips:alice@example.com", "tel:+15551234", "sip:[::1]:5060"] {
            assert!(is_uri(ok), "{ok:?}");
        }
        for bad in [
            "",
            "bob@example.com",
            "sip:bob@h\r\nX-Evil: 1",
            "sip:bob@h>;x",
            "<sip:bob@h>",
            "sip:bob @h",
            "http://example.com/",
            "sip:a\"b@h",
        ] {
            assert!(!is_uri(bad), "{bad:?}");
        }
    }

    #[test]
    fn header_values_and_display_names_have_no_controls() {
        assert!(is_header_value("account=42; tier=\"gold\"\tx"));
        assert!(is_header_value(""));
        for bad in ["a\r\nX-Evil: 1", "a\nb", "a\rb", "nul\0", "esc\x1b"] {
            assert!(!is_header_value(bad), "{bad:?}");
            assert!(!is_display_name(bad), "{bad:?}");
        }
        assert!(is_token("X-Account") && !is_token("X Account") && !is_token("X:") && !is_token(""));
    }

    #[test]
    fn display_names_are_escaped_into_a_quoted_string() {
        assert_eq!(name_addr(None, "sip:a@h"), "<sip:a@h>");
        assert_eq!(name_addr(Some("Alice"), "sip:a@h"), "\"Alice\" <sip:a@h>");
        assert_eq!(
            name_addr(Some(r#"Eve" <sip:x@y>;tag=1 \"#), "sip:a@h"),
            r#""Eve\" <sip:x@y>;tag=1 \\" <sip:a@h>"#
        );
        let written = name_addr(Some("a\"b\\"), "sip:a@h");
        let parsed = crate::sip::NameAddr::parse(&written, "From").unwrap();
        assert_eq!((parsed.display_name, parsed.uri), (Some(r#"a\"b\\"#), "sip:a@h"));
    }

    #[test]
    fn media_types() {
        for ok in ["application/dtmf-relay", "text/plain;charset=utf-8", "text/plain; charset=\"utf-8\""] {
            assert!(is_media_type(ok), "{ok:?}");
        }
        for bad in [
            "",
            "text",
            "/plain",
            "text/",
            "text/plain\r\nX: y",
            "te xt/plain",
            "text/plain;x",
            "a/b;c=\"\r\"",
        ] {
            assert!(!is_media_type(bad), "{bad:?}");
        }
    }
}
