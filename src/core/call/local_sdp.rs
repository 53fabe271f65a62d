//! Our side of a call's offer/answer exchanges: the RTP port and SDP
//! version we offer or answer with, the `a=crypto` of our pending offer,
//! and re-keying the running stream when a later exchange (a re-INVITE
//! or UPDATE, ours or the peer's) settles new SRTP keys.

use super::Call;
use super::step::Step;
use crate::core::CallErrorKind;
use crate::dialog::EndReason;
use crate::media::{CryptoAttribute, SrtpKeys, SrtpSuite};

impl Call {
    /// The RTP port we offer or answer with (None: no media).
    pub(crate) fn local_port(&self) -> Option<u16> {
        self.media.local_port
    }
    /// The SDP version our next offer or answer carries.
    pub(crate) fn next_sdp_version(&mut self) -> u64 {
        self.media.sdp_version += 1;
        self.media.sdp_version
    }
    /// The SDP version of our last offer or answer.
    pub(crate) fn sdp_version(&self) -> u64 {
        self.media.sdp_version
    }

    /// The keys in use (None: plain RTP).
    pub(crate) fn srtp(&self) -> Option<&SrtpKeys> {
        self.media.srtp.as_deref()
    }

    /// The suite in use (None: plain RTP).
    pub(crate) fn srtp_suite(&self) -> Option<SrtpSuite> {
        self.media.srtp.as_deref().map(SrtpKeys::suite)
    }

    /// Our offer just sent carries these attributes (none: plain).
    pub(crate) fn offering(&mut self, crypto: Vec<CryptoAttribute>) {
        self.media.offered = crypto.into_boxed_slice();
    }

    /// The attributes of our offer awaiting its answer.
    pub(crate) fn offered(&self) -> &[CryptoAttribute] {
        &self.media.offered
    }

    /// The answer to our keyed offer settled no keys (a plain stream, or
    /// no tag of ours): no stream opened, and the call, which may not run
    /// unencrypted, ends.
    pub(crate) fn answer_unkeyed(&mut self, step: &mut Step) {
        self.media.offered = Box::default();
        step.error(CallErrorKind::Protocol, || "the answer to our SRTP offer settles no key".to_owned());
        self.hang_up(EndReason::LocalBye, step);
    }

    /// An exchange after the first settled `srtp`: the stream re-keys
    /// when the keys changed. Our pending offer's keys are spent.
    pub(crate) fn rekey(&mut self, srtp: Option<Box<SrtpKeys>>, step: &mut Step) {
        self.media.offered = Box::default();
        self.media.rekey(srtp, step);
    }
}
