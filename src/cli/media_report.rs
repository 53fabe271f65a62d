//! Media lines both binaries print: what SRTP encrypted and dropped, and
//! the client's short media summary.

use crate::media::MediaTotals;

/// `srtp ...` (empty when no stream was encrypted and SRTP dropped nothing).
pub fn srtp_text(m: &MediaTotals) -> String {
    let dropped = m.srtp_auth_failures + m.srtp_replays + m.srtp_unknown_ssrc + m.srtp_key_expired;
    if m.srtp_streams == 0 && dropped == 0 {
        return String::new();
    }
    format!(
        "srtp             {} encrypted streams; dropped: {} auth failures, {} replays, {} unknown ssrc, {} key expired\n",
        m.srtp_streams, m.srtp_auth_failures, m.srtp_replays, m.srtp_unknown_ssrc, m.srtp_key_expired
    )
}

/// The client's media lines (empty when no stream opened).
pub fn media_summary_text(m: &MediaTotals) -> String {
    if m.streams_opened == 0 {
        return String::new();
    }
    format!(
        "media streams    {} opened, {} closed; rtp {} in, {} out; {} lost, {} late, {} duplicate\n{}",
        m.streams_opened,
        m.streams_closed,
        m.packets_in,
        m.packets_out,
        m.lost,
        m.late,
        m.duplicates,
        srtp_text(m)
    )
}
