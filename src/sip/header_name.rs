//! Header names: long and compact forms (RFC 3261 §7.3.3, RFC 3265, 3515,
//! 3892, 4028, 4474, 3841), matched in any case.

macro_rules! header_names {
    ($( $variant:ident => $long:literal $(, $compact:literal)? ;)*) => {
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

            /// Classifies a raw header name, long or compact, any case.
            pub fn from_bytes(name: &[u8]) -> HeaderName {
                super::header_classify::classify(name)
            }
        }
    };
}

header_names! {
    Via => "Via", b'v';
    From => "From", b'f';
    To => "To", b't';
    CallId => "Call-ID", b'i';
    CSeq => "CSeq";
    Contact => "Contact", b'm';
    MaxForwards => "Max-Forwards";
    ContentLength => "Content-Length", b'l';
    ContentType => "Content-Type", b'c';
    Route => "Route";
    RecordRoute => "Record-Route";
    Allow => "Allow";
    Supported => "Supported", b'k';
    Require => "Require";
    ProxyRequire => "Proxy-Require";
    Unsupported => "Unsupported";
    Expires => "Expires";
    MinExpires => "Min-Expires";
    Event => "Event", b'o';
    AllowEvents => "Allow-Events", b'u';
    SubscriptionState => "Subscription-State";
    ReferTo => "Refer-To", b'r';
    ReferredBy => "Referred-By", b'b';
    SessionExpires => "Session-Expires", b'x';
    MinSe => "Min-SE";
    Subject => "Subject", b's';
    ContentEncoding => "Content-Encoding", b'e';
    ContentDisposition => "Content-Disposition";
    Accept => "Accept";
    AcceptContact => "Accept-Contact", b'a';
    RejectContact => "Reject-Contact", b'j';
    RequestDisposition => "Request-Disposition", b'd';
    Identity => "Identity", b'y';
    IdentityInfo => "Identity-Info", b'n';
    UserAgent => "User-Agent";
    Server => "Server";
    Authorization => "Authorization";
    ProxyAuthorization => "Proxy-Authorization";
    WwwAuthenticate => "WWW-Authenticate";
    ProxyAuthenticate => "Proxy-Authenticate";
    RetryAfter => "Retry-After";
    Rseq => "RSeq";
    Rack => "RAck";
    Reason => "Reason";
    Timestamp => "Timestamp";
    Date => "Date";
    Warning => "Warning";
}

impl HeaderName {
    /// Headers whose values are comma-separated lists (RFC 3261 §7.3.1).
    /// Others (From, Call-ID, WWW-Authenticate, Date…) are never split.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            HeaderName::Via
                | HeaderName::Contact
                | HeaderName::Route
                | HeaderName::RecordRoute
                | HeaderName::Allow
                | HeaderName::Supported
                | HeaderName::Require
                | HeaderName::ProxyRequire
                | HeaderName::Unsupported
                | HeaderName::Accept
                | HeaderName::AllowEvents
                | HeaderName::ContentEncoding
                | HeaderName::Warning
                | HeaderName::AcceptContact
                | HeaderName::RejectContact
        )
    }

    /// Headers that must appear at most once in a valid message.
    pub fn is_single(self) -> bool {
        matches!(
            self,
            HeaderName::From
                | HeaderName::To
                | HeaderName::CallId
                | HeaderName::CSeq
                | HeaderName::MaxForwards
                | HeaderName::ContentLength
                | HeaderName::ContentType
        )
    }
}
