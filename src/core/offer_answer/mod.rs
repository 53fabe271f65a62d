//! A call's media as the signalling negotiates it: SDP offer/answer and
//! the RTP port numbers it names.

mod answerer;
mod listening;
mod ports;

pub(crate) use answerer::{OfferAnswer, SdpAnswer};
pub(crate) use listening::answer_listens;
pub(crate) use ports::RtpPorts;
