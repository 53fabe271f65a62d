//! A call to place (UAC role), as the application describes it with a
//! builder (the checks each part passes: `checks`).

use std::net::SocketAddr;
use std::time::Duration;

use crate::core::Credentials;
use crate::media::MediaMode;

/// A call to place: the application's side of
/// [`CallControl::place_call`](crate::CallControl::place_call).
///
/// ```
/// use std::time::Duration;
/// use sipbench::{MediaMode, OutgoingCall};
///
/// let call = OutgoingCall::new("sip:bob@192.0.2.10:5060")
///     .from("sip:alice@192.0.2.1")
///     .caller_name("Alice \"Ops\" Smith")
///     .header("X-Account", "42")
///     .media(MediaMode::Play)
///     .hang_up_after(Duration::from_secs(30));
/// assert_eq!(call.destination()?, "192.0.2.10:5060".parse().unwrap());
/// // Checked before anything is sent: no header injection.
/// let evil = OutgoingCall::new("sip:bob@192.0.2.10").header("X-A", "1\r\nX-Evil: 1");
/// assert!(evil.destination().is_err());
/// # Ok::<(), sipbench::CommandError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingCall {
    pub(crate) request_uri: String,
    pub(crate) to: String,
    pub(crate) to_display: Option<String>,
    pub(crate) from: Option<String>,
    pub(crate) from_display: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) media: Option<MediaMode>,
    pub(crate) hang_up_after: Option<Duration>,
    pub(crate) cancel_when_ringing: bool,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) proxy: Option<SocketAddr>,
    /// `Supported: 100rel` in the INVITE (RFC 3262).
    pub(crate) reliable_provisionals: bool,
    /// The call's origin (RFC 3892 Referred-By, a URI).
    pub(crate) referred_by: Option<String>,
    /// The call placed on a REFER we took in this call: its progress
    /// goes to the referrer as NOTIFYs (RFC 3515 §2.4.5).
    pub(crate) transfer_of: Option<crate::core::CallHandle>,
}

impl OutgoingCall {
    /// A call to `request_uri` (also the To URI until [`to`](Self::to)
    /// says otherwise), e.g. `sip:service@192.0.2.10:5060`. Without an
    /// outbound proxy its host must be an IP address (the engine does no
    /// DNS): the INVITE goes there, to port 5060 (5061 over TLS) unless it
    /// names one. The URI also picks the transport
    /// ([`transport`](Self::transport)): UDP, TCP with `;transport=tcp`,
    /// TLS with `sips:` or `;transport=tls`.
    pub fn new(request_uri: &str) -> OutgoingCall {
        OutgoingCall {
            request_uri: request_uri.to_owned(),
            to: request_uri.to_owned(),
            to_display: None,
            from: None,
            from_display: None,
            headers: Vec::new(),
            media: None,
            hang_up_after: None,
            cancel_when_ringing: false,
            credentials: None,
            proxy: None,
            reliable_provisionals: true,
            referred_by: None,
            transfer_of: None,
        }
    }

    /// Our identity, the From URI. Default (and an empty `uri`): our own
    /// address as the engine really listens, `sip:sipbench@<address>:<port>`
    /// (the port bound when it was 0, the configured contact host if any).
    pub fn from(mut self, uri: &str) -> OutgoingCall {
        self.from = (!uri.is_empty()).then(|| uri.to_owned());
        self
    }

    /// The From display name, written as a quoted-string (quotes and
    /// backslashes escaped).
    pub fn caller_name(mut self, name: &str) -> OutgoingCall {
        self.from_display = Some(name.to_owned());
        self
    }

    /// The callee's URI in To (default: the Request-URI).
    pub fn to(mut self, uri: &str) -> OutgoingCall {
        self.to = uri.to_owned();
        self
    }

    /// The To display name.
    pub fn callee_name(mut self, name: &str) -> OutgoingCall {
        self.to_display = Some(name.to_owned());
        self
    }

    /// An extra header for the INVITE (a `token` name that is none of the
    /// headers the engine writes itself; a value on one line).
    pub fn header(mut self, name: &str, value: &str) -> OutgoingCall {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The call's media mode once answered (default: the engine's).
    pub fn media(mut self, mode: MediaMode) -> OutgoingCall {
        self.media = Some(mode);
        self
    }

    /// Hang up (BYE) this long after the answer (default: never by itself).
    pub fn hang_up_after(mut self, after: Duration) -> OutgoingCall {
        self.hang_up_after = Some(after);
        self
    }

    /// Cancel the call as soon as it rings (180/183): a load generator's
    /// share of cancelled calls.
    pub fn cancel_when_ringing(mut self, cancel: bool) -> OutgoingCall {
        self.cancel_when_ringing = cancel;
        self
    }

    /// Digest credentials for a 401/407 to this call (default: the
    /// engine's configured ones).
    pub fn credentials(mut self, user: &str, password: &str) -> OutgoingCall {
        self.credentials = Some(Credentials { user: user.to_owned(), password: password.to_owned() });
        self
    }

    /// Send the INVITE (and its CANCEL) to this outbound proxy instead of
    /// the Request-URI's host; requests inside the call then follow the
    /// route set and remote target as usual (RFC 3261 §12.2.1.1).
    pub fn outbound_proxy(mut self, proxy: SocketAddr) -> OutgoingCall {
        self.proxy = Some(proxy);
        self
    }

    /// Whether the INVITE says `Supported: 100rel` (default: yes): the
    /// callee may then send reliable provisionals, each PRACKed once, in
    /// RSeq order (RFC 3262 §4).
    pub fn reliable_provisionals(mut self, on: bool) -> OutgoingCall {
        self.reliable_provisionals = on;
        self
    }

    /// The call we were asked to place by a REFER (`EventKind::Referred`
    /// of call `referrer`): the INVITE carries `Referred-By` with
    /// `referred_by` (a sip:, sips: or tel: URI; None: none), the call
    /// is placed on `referrer`'s shard, and its progress goes to the
    /// referrer as NOTIFYs in that call (RFC 3515 §2.4.5: 100 Trying
    /// already, then the final status).
    pub fn referred(mut self, referrer: crate::core::CallHandle, referred_by: Option<&str>) -> OutgoingCall {
        self.transfer_of = Some(referrer);
        self.referred_by = referred_by.map(str::to_owned);
        self
    }

    /// The call a REFER asked for, if this is one.
    pub fn referrer(&self) -> Option<crate::core::CallHandle> {
        self.transfer_of
    }

    /// The Request-URI.
    pub fn request_uri(&self) -> &str {
        &self.request_uri
    }
}
