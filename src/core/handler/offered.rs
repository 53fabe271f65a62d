//! The codecs a caller offers, read from its SDP on demand (a handler
//! that never asks pays nothing).

use crate::sip::sdp;

/// One codec of a caller's SDP offer (its first audio stream), in the
/// caller's order of preference.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OfferedCodec {
    /// The RTP payload type.
    pub payload_type: u8,
    /// The encoding name (`PCMU`, `opus`, `telephone-event`), from its
    /// rtpmap or the RFC 3551 static table; empty when neither names it.
    pub name: String,
    /// The RTP clock rate, Hz (0 when unknown).
    pub clock_rate: u32,
}

/// RFC 3551's static audio payload types that callers use without an
/// rtpmap.
fn static_name(pt: u8) -> Option<(&'static str, u32)> {
    Some(match pt {
        0 => ("PCMU", 8000),
        3 => ("GSM", 8000),
        4 => ("G723", 8000),
        8 => ("PCMA", 8000),
        9 => ("G722", 8000),
        18 => ("G729", 8000),
        _ => return None,
    })
}

/// The codecs of the first audio stream in `body` (empty without one).
pub(crate) fn offered_codecs(body: &[u8]) -> Vec<OfferedCodec> {
    let Ok(session) = sdp::parse(body) else { return Vec::new() };
    let Some(audio) = session.media.iter().find(|m| m.is_audio()) else { return Vec::new() };
    audio
        .payload_types()
        .map(|pt| {
            let (name, clock_rate) = match audio.rtpmap(pt) {
                Some(map) => (map.encoding.to_owned(), map.clock_rate),
                None => static_name(pt).map_or((String::new(), 0), |(n, r)| (n.to_owned(), r)),
            };
            OfferedCodec { payload_type: pt, name, clock_rate }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn codecs_in_offer_order_with_their_names() {
        let body = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n\
                    m=audio 4000 RTP/AVP 96 8 0 101 77\r\na=rtpmap:96 opus/48000/2\r\n\
                    a=rtpmap:101 telephone-event/8000\r\n";
        let got: Vec<(u8, String, u32)> = super::offered_codecs(body.as_bytes())
            .into_iter()
            .map(|c| (c.payload_type, c.name, c.clock_rate))
            .collect();
        let want = [
            (96, "opus", 48000),
            (8, "PCMA", 8000),
            (0, "PCMU", 8000),
            (101, "telephone-event", 8000),
            (77, "", 0),
        ];
        let want: Vec<(u8, String, u32)> = want.iter().map(|(p, n, r)| (*p, n.to_string(), *r)).collect();
        assert_eq!(got, want);
        assert!(super::offered_codecs(b"").is_empty());
    }
}
