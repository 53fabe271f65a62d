//! The call last placed, checked: a load generator places one shared
//! `OutgoingCall` again and again, so its checks and its destination are
//! worked out once for it, not once per call.

use std::net::SocketAddr;
use std::sync::Arc;

use super::OutgoingCall;
use crate::core::CommandError;
use crate::sip::Transport;

/// The call last checked, with where it goes and over what.
#[derive(Debug, Default)]
pub(crate) struct LastChecked(Option<(Arc<OutgoingCall>, SocketAddr, Transport)>);

impl LastChecked {
    /// Where `call` goes and over what: from the last check when `call` is
    /// the same shared call (what an `Arc` holds cannot change while this
    /// keeps a share of it), else checked now.
    pub(crate) fn route(
        &mut self,
        call: &Arc<OutgoingCall>,
    ) -> Result<(SocketAddr, Transport), CommandError> {
        if let Some((last, peer, transport)) = &self.0
            && Arc::ptr_eq(last, call)
        {
            return Ok((*peer, *transport));
        }
        let (peer, transport) = (call.destination()?, call.transport()?);
        self.0 = Some((call.clone(), peer, transport));
        Ok((peer, transport))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_call_goes_where_its_own_request_uri_says() {
        let mut last = LastChecked::default();
        let a = Arc::new(OutgoingCall::new("sip:a@127.0.0.1:5070"));
        let b = Arc::new(OutgoingCall::new("sip:b@127.0.0.2;transport=tcp"));
        let bad = Arc::new(OutgoingCall::new("sip:c@127.0.0.1\r\nX-Evil: 1"));
        for _ in 0..2 {
            assert_eq!(last.route(&a), Ok(("127.0.0.1:5070".parse().unwrap(), Transport::Udp)));
            assert_eq!(last.route(&a.clone()), Ok(("127.0.0.1:5070".parse().unwrap(), Transport::Udp)));
            assert_eq!(last.route(&b), Ok(("127.0.0.2:5060".parse().unwrap(), Transport::Tcp)));
            assert!(matches!(last.route(&bad), Err(CommandError::BadArgument(_))));
            assert!(matches!(last.route(&bad), Err(CommandError::BadArgument(_))), "a refusal is not kept");
            // The same text in another allocation is checked on its own.
            let a2 = Arc::new(OutgoingCall::new("sip:a@127.0.0.1:5070").header("X-Evil", "1\r\nX: 2"));
            assert!(matches!(last.route(&a2), Err(CommandError::BadArgument(_))));
        }
    }
}
