//! A NOTIFY for a REFER we took (RFC 3515 §2.4.5): `Event: refer;id=N`,
//! its Subscription-State, and a message/sipfrag body holding the status
//! line of the referred call (`SIP/2.0 200 OK`).

use super::{ReferNotify, SubscriptionState};
use crate::core::server::reason_phrase;
use crate::sip::Builder;

/// Adds the NOTIFY's headers and body to `b` and finishes it.
pub(crate) fn write_notify(b: Builder<'_>, n: ReferNotify) -> bytes::Bytes {
    let mut num = itoa::Buffer::new();
    let mut event = String::with_capacity(24);
    event.push_str("refer;id=");
    event.push_str(num.format(n.id));
    let state = match n.state {
        SubscriptionState::Active(secs) => format!("active;expires={secs}"),
        SubscriptionState::Terminated(reason) => format!("terminated;reason={reason}"),
    };
    let frag = format!("SIP/2.0 {} {}\r\n", n.status, reason_phrase(n.status));
    b.header("Event", &event)
        .header("Subscription-State", &state)
        .body("message/sipfrag;version=2.0", frag.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::{Message, Writer};

    #[test]
    fn a_final_notify() {
        let mut w = Writer::new();
        let b = w.request("NOTIFY", "sip:a@127.0.0.1").via("UDP", "127.0.0.1:5060", "z9hG4bK1");
        let n = ReferNotify { id: 7, status: 486, state: SubscriptionState::Terminated("noresource") };
        let m = Message::parse_unvalidated(write_notify(b, n), &Default::default()).unwrap();
        assert_eq!(m.header_by_name("Event"), Some("refer;id=7"));
        assert_eq!(m.header_by_name("Subscription-State"), Some("terminated;reason=noresource"));
        assert_eq!(m.body(), b"SIP/2.0 486 Busy Here\r\n");
    }
}
