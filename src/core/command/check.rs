//! Checks on what the application passes in a command, before it reaches
//! a call: nothing it writes to the wire can inject a header.

use crate::core::CommandError;
use crate::sip::Uri;

/// The largest INFO body: the request must fit one UDP datagram.
pub const MAX_INFO_BODY: usize = 8 * 1024;

/// An INFO's content type and body.
pub(crate) fn info(content_type: &str, body: &[u8]) -> Result<(), CommandError> {
    if !is_media_type(content_type) {
        return Err(CommandError::BadArgument("content type must be type/subtype"));
    }
    if body.len() > MAX_INFO_BODY {
        return Err(CommandError::BadArgument("INFO body over 8 KiB"));
    }
    Ok(())
}

/// A transfer target: a sip:, sips: or tel: URI, no brackets or spaces.
pub(crate) fn transfer_target(target: &str) -> Result<(), CommandError> {
    let clean = target.bytes().all(|b| (b'!'..=b'~').contains(&b) && b != b'<' && b != b'>');
    if !clean || Uri::parse(target).is_err() {
        return Err(CommandError::BadArgument("transfer target must be a sip:, sips: or tel: URI"));
    }
    Ok(())
}

/// A reason phrase: printable text on one line (RFC 3261 §25.1).
pub(crate) fn reason_phrase(reason: &str) -> Result<(), CommandError> {
    if reason.is_empty()
        || reason.len() > 128
        || !reason.chars().all(|c| c == ' ' || c == '\t' || !c.is_control())
    {
        return Err(CommandError::BadArgument("reason phrase must be printable text on one line"));
    }
    Ok(())
}

/// `type/subtype` with optional parameters, tokens only (no header
/// injection through the application's string).
fn is_media_type(s: &str) -> bool {
    let head = s.split(';').next().unwrap_or("").trim();
    let token =
        |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b));
    let clean = s.bytes().all(|b| (b' '..=b'~').contains(&b));
    matches!(head.split_once('/'), Some((a, b)) if token(a) && token(b)) && clean
}

#[cfg(test)]
mod tests {
    #[test]
    fn reason_phrases() {
        assert!(super::reason_phrase("Busy Here - Try Later").is_ok());
        for bad in ["", "Busy\r\nX-Injected: 1", "nul\0"] {
            assert!(super::reason_phrase(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn media_types() {
        assert!(super::is_media_type("application/dtmf-relay"));
        assert!(super::is_media_type("text/plain;charset=utf-8"));
        for bad in ["", "text", "/plain", "text/", "text/plain\r\nX: y", "te xt/plain"] {
            assert!(!super::is_media_type(bad), "{bad:?}");
        }
    }
}
