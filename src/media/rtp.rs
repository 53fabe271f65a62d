//! RTP fixed header (RFC 3550 §5.1): version, padding, extension, CSRCs,
//! marker, payload type, sequence number, timestamp, SSRC. A packet that
//! does not hold together is an error the caller counts and drops.

/// What is wrong with a packet that claims to be RTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RtpError {
    /// Shorter than the 12-byte fixed header, its CSRCs or extension.
    Truncated,
    /// Version is not 2.
    Version,
    /// Padding count is zero or longer than the payload.
    Padding,
}

/// A parsed RTP header with the payload's place in the packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtpHeader {
    /// Marker bit.
    pub marker: bool,
    /// Payload type (7 bits).
    pub payload_type: u8,
    /// Sequence number.
    pub seq: u16,
    /// Media timestamp.
    pub timestamp: u32,
    /// Synchronisation source.
    pub ssrc: u32,
    /// Contributing sources present.
    pub csrc_count: u8,
    /// Header extension present.
    pub extension: bool,
    /// Payload start and end (padding excluded).
    pub payload: (usize, usize),
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The length of the header: the fixed 12 bytes, CSRCs and extension (what
/// SRTP leaves clear; the padding is part of the encrypted payload).
pub fn rtp_header_len(packet: &[u8]) -> Result<usize, RtpError> {
    if packet.len() < 12 {
        return Err(RtpError::Truncated);
    }
    if packet[0] >> 6 != 2 {
        return Err(RtpError::Version);
    }
    let mut start = 12 + 4 * usize::from(packet[0] & 0x0f);
    if packet.len() < start {
        return Err(RtpError::Truncated);
    }
    if packet[0] & 0x10 != 0 {
        if packet.len() < start + 4 {
            return Err(RtpError::Truncated);
        }
        start += 4 + 4 * usize::from(be16(packet, start + 2));
        if packet.len() < start {
            return Err(RtpError::Truncated);
        }
    }
    Ok(start)
}

/// Parses the header of one RTP packet.
pub fn parse_rtp(packet: &[u8]) -> Result<RtpHeader, RtpError> {
    let start = rtp_header_len(packet)?;
    let padding = packet[0] & 0x20 != 0;
    let extension = packet[0] & 0x10 != 0;
    let csrc_count = packet[0] & 0x0f;
    let mut end = packet.len();
    if padding {
        let pad = usize::from(packet[end - 1]);
        if pad == 0 || pad > end - start {
            return Err(RtpError::Padding);
        }
        end -= pad;
    }
    Ok(RtpHeader {
        marker: packet[1] & 0x80 != 0,
        payload_type: packet[1] & 0x7f,
        seq: be16(packet, 2),
        timestamp: be32(packet, 4),
        ssrc: be32(packet, 8),
        csrc_count,
        extension,
        payload: (start, end),
    })
}

/// Writes a 12-byte RTP header (no CSRC, no extension) into `out`.
pub fn write_rtp_header(out: &mut [u8; 12], payload_type: u8, marker: bool, seq: u16, ts: u32, ssrc: u32) {
    out[0] = 0x80;
    out[1] = (u8::from(marker) << 7) | (payload_type & 0x7f);
    out[2..4].copy_from_slice(&seq.to_be_bytes());
    out[4..8].copy_from_slice(&ts.to_be_bytes());
    out[8..12].copy_from_slice(&ssrc.to_be_bytes());
}

/// RTCP shares the port pair's demultiplexing rules (RFC 5761 §4): payload
/// types 64–95 in the second byte mean RTCP.
pub fn looks_like_rtcp(packet: &[u8]) -> bool {
    packet.len() >= 2 && (192..=223).contains(&packet[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(first: u8, extra: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut p = vec![first, 0x88, 0x12, 0x34, 0, 0, 0, 160, 0xde, 0xad, 0xbe, 0xef];
        p.extend_from_slice(extra);
        p.extend_from_slice(payload);
        p
    }

    #[test]
    fn plain_header_fields() {
        let h = parse_rtp(&packet(0x80, &[], &[1, 2, 3])).unwrap();
        assert!(h.marker);
        assert_eq!((h.payload_type, h.seq, h.timestamp, h.ssrc), (8, 0x1234, 160, 0xdead_beef));
        assert_eq!(h.payload, (12, 15));
    }

    #[test]
    fn csrcs_extension_and_padding_move_the_payload() {
        let csrc = [0u8; 8];
        let h = parse_rtp(&packet(0x82, &csrc, &[9; 4])).unwrap();
        assert_eq!((h.csrc_count, h.payload), (2, (20, 24)));
        let ext = [0xbe, 0xde, 0, 1, 1, 2, 3, 4];
        let h = parse_rtp(&packet(0x90, &ext, &[7; 5])).unwrap();
        assert_eq!(h.payload, (20, 25));
        let h = parse_rtp(&packet(0xa0, &[], &[7, 7, 0, 0, 3])).unwrap();
        assert_eq!(h.payload, (12, 14));
    }

    #[test]
    fn broken_packets_are_errors() {
        assert_eq!(parse_rtp(&[0x80; 11]), Err(RtpError::Truncated));
        assert_eq!(parse_rtp(&packet(0x40, &[], &[])), Err(RtpError::Version));
        assert_eq!(parse_rtp(&packet(0x83, &[0; 8], &[])), Err(RtpError::Truncated));
        assert_eq!(parse_rtp(&packet(0x90, &[0xbe, 0xde, 0, 9], &[])), Err(RtpError::Truncated));
        assert_eq!(parse_rtp(&packet(0xa0, &[], &[1, 0])), Err(RtpError::Padding));
        assert_eq!(parse_rtp(&packet(0xa0, &[], &[1, 9])), Err(RtpError::Padding));
    }

    #[test]
    fn written_header_parses_back() {
        let mut h = [0u8; 12];
        write_rtp_header(&mut h, 0, true, 65535, 4_000_000_000, 7);
        let p = parse_rtp(&h).unwrap();
        assert_eq!(
            (p.payload_type, p.marker, p.seq, p.timestamp, p.ssrc),
            (0, true, 65535, 4_000_000_000, 7)
        );
        assert!(!looks_like_rtcp(&h));
        assert!(looks_like_rtcp(&[0x81, 201, 0, 7]));
    }
}
