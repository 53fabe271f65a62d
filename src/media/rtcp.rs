//! RTCP (RFC 3550 §6.4): read the far end's sender and receiver reports
//! out of a compound packet, and write our receiver report (RR + SDES
//! CNAME) for a stream we receive.

/// One report block: what a receiver says about a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReportBlock {
    /// The source reported on.
    pub ssrc: u32,
    /// Loss since the previous report, in 1/256.
    pub fraction_lost: u8,
    /// Cumulative packets lost (24-bit signed).
    pub cumulative_lost: i32,
    /// Highest extended sequence number received.
    pub highest_seq: u32,
    /// Interarrival jitter in timestamp units.
    pub jitter: u32,
    /// Middle 32 bits of the NTP time of the last SR received.
    pub last_sr: u32,
    /// Delay since that SR, in 1/65536 s.
    pub delay_since_last_sr: u32,
}

/// What one compound RTCP packet held.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RtcpPacket {
    /// Sender reports seen.
    pub sender_reports: u32,
    /// Receiver reports seen.
    pub receiver_reports: u32,
    /// BYE packets seen.
    pub byes: u32,
    /// The middle 32 bits of the last SR's NTP time (for our LSR).
    pub sr_ntp_middle: Option<u32>,
    /// The last report block in the packet.
    pub block: Option<ReportBlock>,
}

/// The compound packet does not hold together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtcpError;

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn block_at(b: &[u8]) -> ReportBlock {
    let lost = be32(b, 4) & 0x00ff_ffff;
    ReportBlock {
        ssrc: be32(b, 0),
        fraction_lost: b[4],
        cumulative_lost: ((lost << 8) as i32) >> 8,
        highest_seq: be32(b, 8),
        jitter: be32(b, 12),
        last_sr: be32(b, 16),
        delay_since_last_sr: be32(b, 20),
    }
}

/// Parses a compound RTCP packet.
pub fn parse_rtcp(mut data: &[u8]) -> Result<RtcpPacket, RtcpError> {
    let mut out = RtcpPacket::default();
    if data.len() < 8 {
        return Err(RtcpError);
    }
    while !data.is_empty() {
        if data.len() < 4 || data[0] >> 6 != 2 {
            return Err(RtcpError);
        }
        let count = usize::from(data[0] & 0x1f);
        let len = (usize::from(u16::from_be_bytes([data[2], data[3]])) + 1) * 4;
        if len > data.len() {
            return Err(RtcpError);
        }
        let body = &data[4..len];
        let blocks = match data[1] {
            200 if body.len() >= 24 => {
                out.sender_reports += 1;
                out.sr_ntp_middle = Some((be32(body, 4) << 16) | (be32(body, 8) >> 16));
                &body[24..]
            }
            201 if body.len() >= 4 => {
                out.receiver_reports += 1;
                &body[4..]
            }
            200 | 201 => return Err(RtcpError),
            203 => {
                out.byes += 1;
                &[][..]
            }
            _ => &[][..],
        };
        if blocks.len() < count * 24 && matches!(data[1], 200 | 201) {
            return Err(RtcpError);
        }
        if matches!(data[1], 200 | 201) && count > 0 {
            out.block = Some(block_at(&blocks[(count - 1) * 24..]));
        }
        data = &data[len..];
    }
    Ok(out)
}

/// Writes RR (one block) + SDES CNAME into `out`; returns the length.
pub fn write_receiver_report(out: &mut [u8; 64], our_ssrc: u32, block: &ReportBlock) -> usize {
    out[..4].copy_from_slice(&[0x81, 201, 0, 7]);
    out[4..8].copy_from_slice(&our_ssrc.to_be_bytes());
    out[8..12].copy_from_slice(&block.ssrc.to_be_bytes());
    let lost = (block.cumulative_lost.clamp(-0x80_0000, 0x7f_ffff) as u32) & 0x00ff_ffff;
    out[12..16].copy_from_slice(&((u32::from(block.fraction_lost) << 24) | lost).to_be_bytes());
    for (i, v) in
        [block.highest_seq, block.jitter, block.last_sr, block.delay_since_last_sr].iter().enumerate()
    {
        out[16 + 4 * i..20 + 4 * i].copy_from_slice(&v.to_be_bytes());
    }
    // SDES: one chunk, CNAME "sipbench", end item, padded to 4 bytes.
    const CNAME: &[u8] = b"sipbench";
    out[32..36].copy_from_slice(&[0x81, 202, 0, 4]);
    out[36..40].copy_from_slice(&our_ssrc.to_be_bytes());
    out[40] = 1;
    out[41] = CNAME.len() as u8;
    out[42..50].copy_from_slice(CNAME);
    out[50..52].copy_from_slice(&[0, 0]);
    52
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_report_parses_back() {
        let block = ReportBlock {
            ssrc: 0x1234_5678,
            fraction_lost: 64,
            cumulative_lost: -3,
            highest_seq: 70_000,
            jitter: 42,
            last_sr: 0xaabb_ccdd,
            delay_since_last_sr: 65_536,
        };
        let mut buf = [0u8; 64];
        let n = write_receiver_report(&mut buf, 99, &block);
        let p = parse_rtcp(&buf[..n]).unwrap();
        assert_eq!((p.receiver_reports, p.sender_reports, p.block), (1, 0, Some(block)));
    }

    #[test]
    fn sender_report_gives_ntp_middle_and_block() {
        let mut sr = vec![0x81, 200, 0, 12, 0, 0, 0, 1];
        sr.extend_from_slice(&[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
        sr.extend_from_slice(&[0; 12]);
        sr.extend_from_slice(&[0, 0, 0, 9, 10, 0, 0, 5]);
        sr.extend_from_slice(&[0; 16]);
        let p = parse_rtcp(&sr).unwrap();
        assert_eq!(p.sr_ntp_middle, Some(0x3344_5566));
        let b = p.block.unwrap();
        assert_eq!((b.ssrc, b.fraction_lost, b.cumulative_lost), (9, 10, 5));
    }

    #[test]
    fn broken_compounds_are_errors() {
        assert_eq!(parse_rtcp(&[0x81, 201, 0]), Err(RtcpError));
        assert_eq!(parse_rtcp(&[0x81, 201, 0, 9, 0, 0, 0, 0]), Err(RtcpError));
        // RC says one block, none follows.
        assert_eq!(parse_rtcp(&[0x81, 201, 0, 1, 0, 0, 0, 0]), Err(RtcpError));
        assert_eq!(parse_rtcp(&[0x40, 201, 0, 1, 0, 0, 0, 0]), Err(RtcpError));
        let bye = parse_rtcp(&[0x81, 203, 0, 1, 0, 0, 0, 7]).unwrap();
        assert_eq!(bye.byes, 1);
    }
}
