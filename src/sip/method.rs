//! SIP request methods (RFC 3261 and the extensions a UAS meets).

/// A request method. Extension methods are `Extension`; their text is kept
/// by the message (`Message::method_name`, `CSeq::method_name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// INVITE (RFC 3261).
    Invite,
    /// ACK (RFC 3261).
    Ack,
    /// BYE (RFC 3261).
    Bye,
    /// CANCEL (RFC 3261).
    Cancel,
    /// OPTIONS (RFC 3261).
    Options,
    /// REGISTER (RFC 3261).
    Register,
    /// INFO (RFC 6086).
    Info,
    /// UPDATE (RFC 3311).
    Update,
    /// PRACK (RFC 3262).
    Prack,
    /// SUBSCRIBE (RFC 6665).
    Subscribe,
    /// NOTIFY (RFC 6665).
    Notify,
    /// REFER (RFC 3515).
    Refer,
    /// MESSAGE (RFC 3428).
    Message,
    /// PUBLISH (RFC 3903).
    Publish,
    /// Any other token.
    Extension,
}

impl Method {
    /// How many variants there are (for per-method counters).
    pub const COUNT: usize = 15;

    /// Every method, in `index` order.
    pub const ALL: [Method; Method::COUNT] = [
        Method::Invite,
        Method::Ack,
        Method::Bye,
        Method::Cancel,
        Method::Options,
        Method::Register,
        Method::Info,
        Method::Update,
        Method::Prack,
        Method::Subscribe,
        Method::Notify,
        Method::Refer,
        Method::Message,
        Method::Publish,
        Method::Extension,
    ];

    /// A dense index for counters: the position in `ALL`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Methods are case-sensitive tokens (RFC 3261 §7.1). Dispatched on
    /// the length first, so each arm compares one fixed-size array.
    pub fn from_token(token: &[u8]) -> Method {
        fn fixed<const N: usize>(t: &[u8]) -> &[u8; N] {
            t.try_into().unwrap_or(&[0; N])
        }
        match token.len() {
            3 => match fixed::<3>(token) {
                b"ACK" => Method::Ack,
                b"BYE" => Method::Bye,
                _ => Method::Extension,
            },
            4 if fixed::<4>(token) == b"INFO" => Method::Info,
            5 => match fixed::<5>(token) {
                b"PRACK" => Method::Prack,
                b"REFER" => Method::Refer,
                _ => Method::Extension,
            },
            6 => match fixed::<6>(token) {
                b"INVITE" => Method::Invite,
                b"CANCEL" => Method::Cancel,
                b"UPDATE" => Method::Update,
                b"NOTIFY" => Method::Notify,
                _ => Method::Extension,
            },
            7 => match fixed::<7>(token) {
                b"OPTIONS" => Method::Options,
                b"MESSAGE" => Method::Message,
                b"PUBLISH" => Method::Publish,
                _ => Method::Extension,
            },
            8 if fixed::<8>(token) == b"REGISTER" => Method::Register,
            9 if fixed::<9>(token) == b"SUBSCRIBE" => Method::Subscribe,
            _ => Method::Extension,
        }
    }

    /// The canonical token; `""` for `Extension` (use the message's text).
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Invite => "INVITE",
            Method::Ack => "ACK",
            Method::Bye => "BYE",
            Method::Cancel => "CANCEL",
            Method::Options => "OPTIONS",
            Method::Register => "REGISTER",
            Method::Info => "INFO",
            Method::Update => "UPDATE",
            Method::Prack => "PRACK",
            Method::Subscribe => "SUBSCRIBE",
            Method::Notify => "NOTIFY",
            Method::Refer => "REFER",
            Method::Message => "MESSAGE",
            Method::Publish => "PUBLISH",
            Method::Extension => "",
        }
    }
}

/// RFC 3261 `token` characters, used for methods and header names; a table
/// because it runs for every byte of every header name.
#[inline]
pub(crate) fn is_token_char(b: u8) -> bool {
    TOKEN[usize::from(b)]
}

static TOKEN: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric()
            || matches!(c, b'-' | b'.' | b'!' | b'%' | b'*' | b'_' | b'+' | b'`' | b'\'' | b'~');
        i += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::Method;

    #[test]
    fn every_method_round_trips_and_near_misses_are_extensions() {
        for &m in Method::ALL.iter().filter(|&&m| m != Method::Extension) {
            assert_eq!(Method::from_token(m.as_str().as_bytes()), m);
        }
        for t in ["invite", "INVITES", "INVIT", "ACKS", "BYe", "", "X", "SUBSCRIBE2", "REGISTEr", "INFO "] {
            assert_eq!(Method::from_token(t.as_bytes()), Method::Extension, "{t}");
        }
    }
}
