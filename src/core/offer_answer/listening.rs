//! Whether the peer's SDP answer to our hold (a `sendonly` offer) says it
//! still listens: `recvonly` does, `inactive` does not (RFC 3264 §6.1),
//! and then not even music on hold may go out.

use crate::sip::sdp;

/// The answer's first live audio stream receives (no SDP, or one we
/// cannot read: assume it does, as RFC 3264 answers to `sendonly` must be
/// `recvonly` or `inactive`).
pub(crate) fn answer_listens(body: &[u8]) -> bool {
    let Ok(session) = sdp::parse(body) else { return true };
    let audio = session.media.iter().find(|m| m.is_audio() && m.port != 0);
    audio.is_none_or(|m| m.effective_direction(&session).receives())
}

#[cfg(test)]
mod tests {
    #[test]
    fn inactive_answers_do_not_listen() {
        let answer = |dir: &str| {
            format!(
                "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
                 m=audio 4000 RTP/AVP 0\r\na={dir}\r\n"
            )
        };
        assert!(super::answer_listens(answer("recvonly").as_bytes()));
        assert!(super::answer_listens(answer("sendrecv").as_bytes()));
        assert!(!super::answer_listens(answer("inactive").as_bytes()));
        assert!(!super::answer_listens(answer("sendonly").as_bytes()));
        assert!(super::answer_listens(b""));
    }
}
