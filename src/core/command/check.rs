//! Checks on what the application passes in a command, before it reaches
//! a call: statuses of the right class, and text of the grammar its place
//! in the message needs (`text`), so nothing it writes can inject a header.

use super::{Command, text};
use crate::core::CommandError;

/// The largest INFO body: the request must fit one UDP datagram.
pub const MAX_INFO_BODY: usize = 8 * 1024;

impl Command {
    /// Checks every status and string the command would write: a
    /// rejection's status (300–699) and reason phrase, an INFO's content
    /// type and body size, a transfer target, a call to place (URIs,
    /// display names, extra headers). The engine checks again when it
    /// applies the command; [`crate::CallControl`] checks before queueing,
    /// so a refusal comes back at once.
    pub fn check(&self) -> Result<(), CommandError> {
        match self {
            Command::Reject { code, reason, .. } => {
                if !(300..=699).contains(code) {
                    return Err(CommandError::BadStatus(*code));
                }
                if reason.as_deref().is_some_and(|r| !text::is_reason_phrase(r)) {
                    return Err(CommandError::BadArgument(
                        "reason phrase must be Reason-Phrase text on one line",
                    ));
                }
            }
            Command::Info { content_type, body, .. } => {
                if !text::is_media_type(content_type) {
                    return Err(CommandError::BadArgument("content type must be type/subtype[;param=value]"));
                }
                if body.len() > MAX_INFO_BODY {
                    return Err(CommandError::BadArgument("INFO body over 8 KiB"));
                }
            }
            Command::Transfer { target, .. } if !text::is_uri(target) => {
                return Err(CommandError::BadArgument("transfer target must be a sip:, sips: or tel: URI"));
            }
            Command::Place(call) => {
                call.destination()?;
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::core::{CallHandle, Command, CommandError};

    const CALL: CallHandle = CallHandle::new(0, 1, 1);

    fn reject(code: u16, reason: Option<&str>) -> Result<(), CommandError> {
        Command::Reject { call: CALL, code, reason: reason.map(str::to_owned) }.check()
    }

    #[test]
    fn rejections_need_a_final_error_status_and_a_clean_reason() {
        assert_eq!(reject(486, Some("Busy Here - Try Later")), Ok(()));
        for code in [0, 100, 200, 299, 700, 1000] {
            assert_eq!(reject(code, None), Err(CommandError::BadStatus(code)));
        }
        for bad in ["", "Busy\r\nX-Evil: 1", "nul\0", "q\"uote"] {
            assert!(matches!(reject(486, Some(bad)), Err(CommandError::BadArgument(_))), "{bad:?}");
        }
    }

    #[test]
    fn info_and_transfer_texts() {
        let info = |ct: &str, len: usize| {
            Command::Info { call: CALL, content_type: ct.into(), body: vec![b'x'; len].into() }.check()
        };
        assert_eq!(info("application/dtmf-relay", 10), Ok(()));
        assert!(info("text/plain\r\nX-Evil: 1", 1).is_err());
        assert!(info("text/plain", super::MAX_INFO_BODY + 1).is_err());
        let transfer = |t: &str| Command::Transfer { call: CALL, target: t.into() }.check();
        assert_eq!(transfer("sip:carol@127.0.0.1"), Ok(()));
        for bad in ["sip:carol@h>\r\nX-Evil: 1", "<sip:carol@h>", "carol"] {
            assert!(transfer(bad).is_err(), "{bad:?}");
        }
    }
}
