//! A call's media as the signalling negotiates it: SDP offer/answer, the
//! SRTP keys it carries (RFC 4568) and the RTP port numbers it names.

mod answerer;
mod key_minter;
mod listening;
mod ports;
mod sdp_answer;
mod secure;
mod srtp_policy;

pub(crate) use answerer::OfferAnswer;
pub(crate) use listening::answer_listens;
pub(crate) use ports::RtpPorts;
pub(crate) use sdp_answer::SdpAnswer;
pub use srtp_policy::SrtpPolicy;
