//! RFC 4733 telephone-events (DTMF) received on a stream: each key press
//! is reported once, when its end packet arrives (the end packet is sent
//! three times; the timestamp tells retransmissions from a new press).

/// The key of event code `event` (RFC 4733 §3.2: 0–9, *, #, A–D).
pub fn dtmf_digit(event: u8) -> Option<char> {
    b"0123456789*#ABCD".get(usize::from(event)).map(|&c| char::from(c))
}

/// A finished key press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DtmfPress {
    /// The key.
    pub digit: char,
    /// How long it was held, in RTP clock units (8 kHz).
    pub duration: u16,
}

/// Telephone-event packets of one stream, to key presses.
#[derive(Debug, Default)]
pub(crate) struct DtmfReceiver {
    last_ended: Option<u32>,
}

impl DtmfReceiver {
    /// Takes one telephone-event payload (with its RTP timestamp); returns
    /// the press it ends, once.
    pub(crate) fn on_payload(&mut self, timestamp: u32, payload: &[u8]) -> Option<DtmfPress> {
        let [event, flags, d0, d1, ..] = *payload else { return None };
        if flags & 0x80 == 0 || self.last_ended == Some(timestamp) {
            return None;
        }
        self.last_ended = Some(timestamp);
        Some(DtmfPress { digit: dtmf_digit(event)?, duration: u16::from_be_bytes([d0, d1]) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_press_per_event_however_many_end_packets() {
        let mut r = DtmfReceiver::default();
        assert_eq!(r.on_payload(1000, &[5, 0x0a, 0, 160]), None, "not ended yet");
        let press = DtmfPress { digit: '5', duration: 800 };
        assert_eq!(r.on_payload(1000, &[5, 0x8a, 3, 32]), Some(press));
        assert_eq!(r.on_payload(1000, &[5, 0x8a, 3, 32]), None, "retransmitted end");
        assert_eq!(r.on_payload(2000, &[11, 0x8a, 0, 160]).map(|p| p.digit), Some('#'));
        assert_eq!(r.on_payload(3000, &[16, 0x8a, 0, 160]), None, "flash is no key");
        assert_eq!(r.on_payload(4000, &[1, 0x80]), None, "truncated");
    }
}
