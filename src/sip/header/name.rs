//! Header names (RFC 3261 §7.3.3, RFC 3265, 3515, 3892, 4028, 4474,
//! 3841): the one table of every name this engine knows, its long and
//! compact forms and how its values are read. The enum, the canonical
//! text, the compact-form and long-name lookups (`classify.rs`) and the
//! list/single classes all come from it.

/// How a header's values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Values {
    /// Must appear at most once in a valid message.
    Single,
    /// A comma-separated list (RFC 3261 §7.3.1): joined values are split.
    List,
    /// Neither: may repeat, never split (commas are part of the value).
    Whole,
}

macro_rules! header_names {
    ($( $variant:ident => $long:literal $(/ $compact:literal)? : $values:ident ;)*) => {
        /// A known header name, or `Other` (compare the raw name then).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum HeaderName {
            $(
                #[doc = $long]
                $variant,
            )*
            /// Any header this engine does not name.
            Other,
        }

        impl HeaderName {
            /// The canonical long name (`""` for `Other`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(HeaderName::$variant => $long,)*
                    HeaderName::Other => "",
                }
            }

            /// The name of a compact form (any case), or `Other`.
            #[rustfmt::skip]
            pub(super) fn from_compact(c: u8) -> HeaderName {
                match c.to_ascii_lowercase() {
                    $($($compact => HeaderName::$variant,)?)*
                    _ => HeaderName::Other,
                }
            }

            fn values(self) -> Values {
                match self {
                    $(HeaderName::$variant => Values::$values,)*
                    HeaderName::Other => Values::Whole,
                }
            }
        }

        /// Every known long name, for the long-name lookup table.
        pub(super) const LONG_NAMES: &[(&str, HeaderName)] = &[$(($long, HeaderName::$variant),)*];
    };
}

// The first nine are the names whose first line the index remembers
// (`message::index::KNOWN`); keep them first and in this order.
header_names! {
    Via => "Via" / b'v' : List;
    From => "From" / b'f' : Single;
    To => "To" / b't' : Single;
    CallId => "Call-ID" / b'i' : Single;
    CSeq => "CSeq" : Single;
    Contact => "Contact" / b'm' : List;
    MaxForwards => "Max-Forwards" : Single;
    ContentLength => "Content-Length" / b'l' : Single;
    ContentType => "Content-Type" / b'c' : Single;
    Route => "Route" : List;
    RecordRoute => "Record-Route" : List;
    Allow => "Allow" : List;
    Supported => "Supported" / b'k' : List;
    Require => "Require" : List;
    ProxyRequire => "Proxy-Require" : List;
    Unsupported => "Unsupported" : List;
    Expires => "Expires" : Whole;
    MinExpires => "Min-Expires" : Whole;
    Event => "Event" / b'o' : Whole;
    AllowEvents => "Allow-Events" / b'u' : List;
    SubscriptionState => "Subscription-State" : Whole;
    ReferTo => "Refer-To" / b'r' : Whole;
    ReferredBy => "Referred-By" / b'b' : Whole;
    SessionExpires => "Session-Expires" / b'x' : Whole;
    MinSe => "Min-SE" : Whole;
    Subject => "Subject" / b's' : Whole;
    ContentEncoding => "Content-Encoding" / b'e' : List;
    ContentDisposition => "Content-Disposition" : Whole;
    Accept => "Accept" : List;
    AcceptContact => "Accept-Contact" / b'a' : List;
    RejectContact => "Reject-Contact" / b'j' : List;
    RequestDisposition => "Request-Disposition" / b'd' : Whole;
    Identity => "Identity" / b'y' : Whole;
    IdentityInfo => "Identity-Info" / b'n' : Whole;
    UserAgent => "User-Agent" : Whole;
    Server => "Server" : Whole;
    Authorization => "Authorization" : Whole;
    ProxyAuthorization => "Proxy-Authorization" : Whole;
    WwwAuthenticate => "WWW-Authenticate" : Whole;
    ProxyAuthenticate => "Proxy-Authenticate" : Whole;
    RetryAfter => "Retry-After" : Whole;
    Rseq => "RSeq" : Whole;
    Rack => "RAck" : Whole;
    Reason => "Reason" : Whole;
    Timestamp => "Timestamp" : Whole;
    Date => "Date" : Whole;
    Warning => "Warning" : List;
}

impl HeaderName {
    /// Classifies a raw header name, long or compact, any case.
    pub fn from_bytes(name: &[u8]) -> HeaderName {
        super::classify::classify(name)
    }

    /// Headers whose values are comma-separated lists (RFC 3261 §7.3.1).
    /// Others (From, Call-ID, WWW-Authenticate, Date…) are never split.
    pub fn is_list(self) -> bool {
        self.values() == Values::List
    }

    /// Headers that must appear at most once in a valid message.
    pub fn is_single(self) -> bool {
        self.values() == Values::Single
    }
}
