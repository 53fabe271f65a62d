//! `m=` sections: the media line, its attributes and rtpmap/fmtp lookups.

use super::direction::Direction;
use super::error::{SdpError, SdpErrorKind};
use super::lines::{Fields, parse_digits, parse_num};
use super::session::{Connection, SessionDescription};

/// One `m=` section. Strings borrow from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaDescription<'a> {
    /// `audio`, `video`, `application`, ...
    pub media: &'a str,
    /// `0` means the stream is refused/disabled.
    pub port: u16,
    /// The `/2` in `49170/2`.
    pub port_count: Option<u16>,
    /// `RTP/AVP`, `RTP/SAVP`, ...
    pub proto: &'a str,
    /// The raw format list, e.g. `"0 8 101"`.
    pub formats: &'a str,
    /// The media's own c= line.
    pub connection: Option<Connection<'a>>,
    /// Its direction attribute.
    pub direction: Option<Direction>,
    /// a=ptime, ms.
    pub ptime: Option<u32>,
    /// `a=rtcp:PORT` (RFC 3605); the optional address is not kept.
    pub rtcp_port: Option<u16>,
    /// Where the section's first malformed `c=` or known attribute
    /// (`rtpmap`, `ptime`, `rtcp`) starts: harmless on a stream that is
    /// declined, fatal on one that is answered.
    pub malformed: Option<usize>,
    /// The section's text after the `m=` line: rtpmap/fmtp are looked up
    /// in it on demand, so a media section needs no allocation.
    pub(super) attrs: &'a str,
}

/// `a=rtpmap:<pt> <encoding>/<clock-rate>[/<channels>]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtpMap<'a> {
    /// Encoding name (PCMU, telephone-event).
    pub encoding: &'a str,
    /// RTP clock rate, Hz.
    pub clock_rate: u32,
    /// Audio channels.
    pub channels: Option<u8>,
}

impl<'a> MediaDescription<'a> {
    /// Numeric formats (RTP payload types 0..=127), in offer order.
    pub fn payload_types(&self) -> impl Iterator<Item = u8> + '_ {
        self.formats.split_ascii_whitespace().filter_map(parse_num::<u8>).filter(|&pt| pt <= 127)
    }

    /// Every well-formed `a=rtpmap` of this section, in order.
    pub fn rtpmaps(&self) -> impl Iterator<Item = (u8, RtpMap<'a>)> + 'a {
        attr_values(self.attrs, "rtpmap").filter_map(parse_rtpmap)
    }

    /// The first `a=rtpmap` for `pt` in this section.
    pub fn rtpmap(&self, pt: u8) -> Option<RtpMap<'a>> {
        attr_values(self.attrs, "rtpmap").filter_map(parse_rtpmap).find(|(p, _)| *p == pt).map(|(_, r)| r)
    }

    /// The parameters of the first `a=fmtp` for `pt`, e.g. `"0-15"`.
    pub fn fmtp(&self, pt: u8) -> Option<&'a str> {
        attr_values(self.attrs, "fmtp").find_map(|v| {
            let (p, params) = v.split_once([' ', '\t'])?;
            (parse_digits(p)? == u64::from(pt)).then(|| params.trim_start())
        })
    }

    /// Media-level direction, else session-level, else `SendRecv`.
    pub fn effective_direction(&self, session: &SessionDescription<'_>) -> Direction {
        self.direction.or(session.direction).unwrap_or_default()
    }

    /// Media-level `c=`, else session-level.
    pub fn effective_connection<'s>(
        &'s self,
        session: &'s SessionDescription<'a>,
    ) -> Option<&'s Connection<'a>> {
        self.connection.as_ref().or(session.connection.as_ref())
    }

    /// `m=audio` (media tokens are case-insensitive in practice).
    pub fn is_audio(&self) -> bool {
        self.media.eq_ignore_ascii_case("audio")
    }

    /// Plain RTP: `RTP/AVP`.
    pub fn is_plain_rtp(&self) -> bool {
        self.proto.eq_ignore_ascii_case("RTP/AVP")
    }

    /// Secure RTP (RFC 3711): `RTP/SAVP`, or `RTP/SAVPF` (RFC 5124).
    pub fn is_secure_rtp(&self) -> bool {
        self.proto.eq_ignore_ascii_case("RTP/SAVP") || self.proto.eq_ignore_ascii_case("RTP/SAVPF")
    }

    /// The values of this section's `a=crypto` lines (RFC 4568), in order,
    /// unparsed: the SRTP layer reads them.
    pub fn crypto_values(&self) -> impl Iterator<Item = &'a str> + 'a {
        attr_values(self.attrs, "crypto")
    }
}

/// Values of `a=<name>:<value>` lines in an attribute region.
fn attr_values<'a>(region: &'a str, name: &'static str) -> impl Iterator<Item = &'a str> {
    // Split and trim on bytes: these lines are short and ASCII, no char
    // decoding is needed.
    region.as_bytes().split(|&c| c == b'\n').filter_map(move |line| {
        let kept = line.iter().rposition(|&c| !matches!(c, b' ' | b'\t' | b'\r')).map_or(0, |i| i + 1);
        let rest = line[..kept].strip_prefix(b"a=")?.strip_prefix(name.as_bytes())?.strip_prefix(b":")?;
        // `rest` is a suffix of a line of `region`, cut at ASCII bytes.
        let at = rest.as_ptr() as usize - region.as_ptr() as usize;
        region.get(at..at + rest.len())
    })
}

/// Parses an rtpmap value; `None` when malformed (the parser rejects those up front).
pub(super) fn parse_rtpmap(value: &str) -> Option<(u8, RtpMap<'_>)> {
    let blank = value.bytes().position(|c| c == b' ' || c == b'\t')?;
    let (pt, rest) = (value.get(..blank)?, value.get(blank + 1..)?);
    let pt = parse_num::<u8>(pt).filter(|&pt| pt <= 127)?;
    // `encoding/clock[/channels]`, split on bytes.
    let rest = crate::sip::lex::trim_str(rest);
    let b = rest.as_bytes();
    let s1 = crate::sip::lex::find_byte(b, b'/')?;
    let encoding = rest.get(..s1).filter(|e| !e.is_empty())?;
    let after = rest.get(s1 + 1..)?;
    let (clock, channels) = match crate::sip::lex::find_byte(after.as_bytes(), b'/') {
        Some(s2) => (after.get(..s2)?, Some(parse_num(after.get(s2 + 1..)?)?)),
        None => (after, None),
    };
    Some((pt, RtpMap { encoding, clock_rate: parse_num(clock)?, channels }))
}

/// Parses the value of an `m=` line; attributes are filled in by the caller.
pub(super) fn parse_media_line(value: &str, offset: usize) -> Result<MediaDescription<'_>, SdpError> {
    use SdpErrorKind::{BadMedia, BadPort};
    let mut f = Fields::new(value, offset);
    let (media, _) = f.field(BadMedia)?;
    let (port_field, port_at) = f.field(BadMedia)?;
    let (port, port_count) = match port_field.split_once('/') {
        Some((port, count)) => {
            let count = parse_num(count).ok_or(SdpError::new(BadPort, port_at + port.len() + 1))?;
            (port, Some(count))
        }
        None => (port_field, None),
    };
    let port = parse_num(port).ok_or(SdpError::new(BadPort, port_at))?;
    let (proto, _) = f.field(BadMedia)?;
    let (formats, formats_at) = f.rest();
    if formats.is_empty() {
        return Err(SdpError::new(BadMedia, formats_at));
    }
    Ok(MediaDescription {
        media,
        port,
        port_count,
        proto,
        formats,
        connection: None,
        direction: None,
        ptime: None,
        rtcp_port: None,
        malformed: None,
        attrs: "",
    })
}
