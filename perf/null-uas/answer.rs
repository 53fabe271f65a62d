//! The null responder's answers: the method sniffed from the request
//! line, the transaction headers (Via, From, To, Call-ID, CSeq, long or
//! compact names) copied line by line, a canned status line, Contact and
//! SDP. No parse, no table, no timer.

use bytes::{BufMut, Bytes, BytesMut};

/// Output block size, as the server's writer uses.
const BLOCK: usize = 32 * 1024;

/// What a datagram asks of the null responder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// INVITE: 200 with a To tag, Contact and an SDP answer.
    Invite,
    /// BYE (or any other request but ACK): a bare 200.
    Other,
    /// ACK or a response: nothing to send.
    Absorb,
}

/// The method, from the first bytes of the datagram.
pub fn sniff(data: &[u8]) -> Sniffed {
    if data.starts_with(b"INVITE ") {
        Sniffed::Invite
    } else if data.starts_with(b"ACK ") || data.starts_with(b"SIP/") {
        Sniffed::Absorb
    } else {
        Sniffed::Other
    }
}

/// Whether a header line is one a response echoes, and whether it is To.
fn echoed(line: &[u8]) -> Option<bool> {
    let name_end = line.iter().position(|&c| c == b':')?;
    let name = line[..name_end].trim_ascii_end();
    let is = |long: &[u8], short: u8| {
        name.eq_ignore_ascii_case(long) || (name.len() == 1 && name[0].eq_ignore_ascii_case(&short))
    };
    if is(b"to", b't') {
        Some(true)
    } else if is(b"via", b'v')
        || is(b"from", b'f')
        || is(b"call-id", b'i')
        || name.eq_ignore_ascii_case(b"cseq")
    {
        Some(false)
    } else {
        None
    }
}

/// Writes 200 answers into reused output blocks.
pub struct Answerer {
    buf: BytesMut,
    /// Keys the To tag: a hash of the Call-ID under a per-process random
    /// key, so a retransmitted INVITE gets the same tag and nobody can
    /// guess it.
    tags: ahash::RandomState,
    contact: Vec<u8>,
}

const SDP: &[u8] = b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

impl Answerer {
    /// Answers naming `contact` (`sip:IP:PORT`).
    pub fn new(contact: &str) -> Answerer {
        Answerer {
            buf: BytesMut::with_capacity(BLOCK),
            tags: ahash::RandomState::new(),
            contact: format!("Contact: <{contact}>\r\n").into_bytes(),
        }
    }

    /// The 200 for `req`, or None when it gets no answer (ACK, responses,
    /// a datagram with no header end).
    pub fn answer(&mut self, req: &[u8]) -> Option<Bytes> {
        let kind = sniff(req);
        if kind == Sniffed::Absorb {
            return None;
        }
        let head_end = memchr::memmem::find(req, b"\r\n\r\n")?;
        if self.buf.capacity() - self.buf.len() < 2048 {
            self.buf.reserve(BLOCK);
        }
        let b = &mut self.buf;
        b.put_slice(b"SIP/2.0 200 OK\r\n");
        let mut call_id: &[u8] = b"";
        for line in req[..head_end].split(|&c| c == b'\n').skip(1) {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            match echoed(line) {
                Some(true) if kind == Sniffed::Invite && memchr::memmem::find(line, b";tag=").is_none() => {
                    b.put_slice(line);
                    b.put_slice(b";tag=");
                    let tag = self.tags.hash_one(call_id_of(req, &mut call_id));
                    let mut hex = [0u8; 16];
                    for (i, h) in hex.iter_mut().enumerate() {
                        *h = b"0123456789abcdef"[((tag >> (60 - 4 * i)) & 0xf) as usize];
                    }
                    b.put_slice(&hex);
                }
                Some(_) => b.put_slice(line),
                None => continue,
            }
            b.put_slice(b"\r\n");
        }
        if kind == Sniffed::Invite {
            b.put_slice(&self.contact);
            b.put_slice(b"Content-Type: application/sdp\r\nContent-Length: ");
            b.put_slice(itoa::Buffer::new().format(SDP.len()).as_bytes());
            b.put_slice(b"\r\n\r\n");
            b.put_slice(SDP);
        } else {
            b.put_slice(b"Content-Length: 0\r\n\r\n");
        }
        Some(self.buf.split().freeze())
    }
}

/// The Call-ID value (found once per datagram, on first need).
fn call_id_of<'a>(req: &'a [u8], found: &mut &'a [u8]) -> &'a [u8] {
    if found.is_empty() {
        *found = sipbench::runtime::scan_call_id(req).unwrap_or(b"");
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const INVITE: &[u8] =
        b"INVITE sip:s@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKx\r\n\
From: <sip:c@127.0.0.1>;tag=a\r\nt: <sip:s@127.0.0.1>\r\ni: abc@h\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n\
Content-Length: 0\r\n\r\n";

    fn text(b: &Bytes) -> &str {
        std::str::from_utf8(b).unwrap()
    }

    #[test]
    fn invite_gets_200_with_echoed_headers_tag_and_sdp() {
        let mut a = Answerer::new("sip:127.0.0.1:5060");
        let r = a.answer(INVITE).unwrap();
        let t = text(&r);
        assert!(
            t.starts_with("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKx\r\n"),
            "{t}"
        );
        assert!(t.contains("\r\nt: <sip:s@127.0.0.1>;tag="), "{t}");
        assert!(t.contains("\r\ni: abc@h\r\nCSeq: 1 INVITE\r\n"), "{t}");
        assert!(!t.contains("Max-Forwards"), "{t}");
        assert!(t.ends_with("a=rtpmap:0 PCMU/8000\r\n"), "{t}");
        // A retransmission gets the same tag; another call another.
        assert_eq!(a.answer(INVITE).unwrap(), r);
        let other = INVITE.to_vec();
        let other = String::from_utf8(other).unwrap().replace("abc@h", "xyz@h");
        assert_ne!(a.answer(other.as_bytes()).unwrap(), r);
        // The whole answer parses as a SIP response.
        assert!(sipbench::sip::Message::parse(r).is_ok());
    }

    #[test]
    fn bye_gets_bare_200_ack_and_responses_nothing() {
        let mut a = Answerer::new("sip:127.0.0.1:5060");
        let bye = b"BYE sip:s@127.0.0.1 SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bKb\r\n\
To: <sip:s@h>;tag=q\r\nCSeq: 2 BYE\r\n\r\n";
        let t = a.answer(bye).unwrap();
        assert_eq!(
            text(&t),
            "SIP/2.0 200 OK\r\nv: SIP/2.0/UDP h;branch=z9hG4bKb\r\nTo: <sip:s@h>;tag=q\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n"
        );
        assert!(a.answer(b"ACK sip:s@h SIP/2.0\r\n\r\n").is_none());
        assert!(a.answer(b"SIP/2.0 200 OK\r\n\r\n").is_none());
        assert!(a.answer(b"BYE sip:s@h SIP/2.0\r\nVia: x").is_none());
    }
}
