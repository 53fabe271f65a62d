//! A call's media as the signalling negotiates it: SDP offer/answer and
//! the RTP port numbers it names.

mod answerer;
mod ports;

pub(crate) use answerer::{OfferAnswer, SdpAnswer};
pub(crate) use ports::RtpPorts;
