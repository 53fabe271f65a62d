//! The SDP parser: one pass over the lines, session level until the first
//! `m=`, then each line belongs to the latest media section.

use super::body_scan::scan_body;
use super::direction::Direction;
use super::error::{SdpError, SdpErrorKind};
use super::lines::{Fields, Line, Lines, parse_num};
use super::media::{MediaDescription, parse_media_line, parse_rtpmap};
use super::session::{Connection, Origin, SessionDescription, parse_connection, parse_origin};

/// Most `m=` sections accepted; a SIP call never needs more, and the cap
/// bounds the work a hostile body can cause.
pub const MAX_MEDIA: usize = 16;

/// Parses an SDP body (RFC 4566), zero-copy. Lenient about line order,
/// unknown letters and unknown attributes; strict about `v=0` first, the
/// presence of `o=` and `s=`, and the syntax of `o=`, `m=` and
/// session-level `c=`. A media section's malformed `c=` or known
/// attribute (`rtpmap`, `ptime`, `rtcp`) does not fail the parse: it is
/// noted on the section (`MediaDescription::malformed`), and only an
/// answer that would use that section refuses it.
pub fn parse(sdp: &[u8]) -> Result<SessionDescription<'_>, SdpError> {
    let scan = scan_body(sdp);
    let text = if scan.ascii {
        // SAFETY: every byte is below 0x80 (`scan_body`), so `sdp` is UTF-8.
        unsafe { std::str::from_utf8_unchecked(sdp) }
    } else {
        std::str::from_utf8(sdp).map_err(|e| SdpError::new(SdpErrorKind::InvalidUtf8, e.valid_up_to()))?
    };
    let mut lines = Lines::new(text, scan.clean);
    let first = lines.next().ok_or(SdpError::new(SdpErrorKind::MissingVersion, 0))??;
    if first.letter != b'v' {
        return Err(SdpError::new(SdpErrorKind::MissingVersion, first.start));
    }
    if first.value.trim_start() != "0" {
        return Err(SdpError::new(SdpErrorKind::BadVersion, first.offset));
    }

    let mut session = Session::default();
    let mut media: smallvec::SmallVec<[MediaDescription<'_>; 2]> = smallvec::SmallVec::new();
    // Start of the current media section's attribute region.
    let mut region_start = 0;
    for line in lines {
        let line = line?;
        if line.letter == b'm' {
            close_region(&mut media, text, region_start, line.start);
            if media.len() >= MAX_MEDIA {
                return Err(SdpError::new(SdpErrorKind::TooManyMedia, line.start));
            }
            media.push(parse_media_line(line.value, line.offset)?);
            region_start = line.next;
            continue;
        }
        match media.last_mut() {
            Some(m) => {
                if let Err(e) = media_line(m, &line) {
                    m.malformed = m.malformed.or(Some(e.offset));
                }
            }
            None => session.line(&line)?,
        }
    }
    close_region(&mut media, text, region_start, text.len());

    Ok(SessionDescription {
        origin: session.origin.ok_or(SdpError::new(SdpErrorKind::MissingOrigin, text.len()))?,
        session_name: session.name.ok_or(SdpError::new(SdpErrorKind::MissingSessionName, text.len()))?,
        connection: session.connection,
        direction: session.direction,
        media,
    })
}

/// Session-level fields collected before the first `m=`.
#[derive(Default)]
struct Session<'a> {
    origin: Option<Origin<'a>>,
    name: Option<&'a str>,
    connection: Option<Connection<'a>>,
    direction: Option<Direction>,
}

impl<'a> Session<'a> {
    fn line(&mut self, line: &Line<'a>) -> Result<(), SdpError> {
        match line.letter {
            // A duplicate o=/s= is ignored rather than rejected: leniency.
            b'o' if self.origin.is_none() => self.origin = Some(parse_origin(line.value, line.offset)?),
            b's' if self.name.is_none() => self.name = Some(line.value),
            b'c' => self.connection = Some(parse_connection(line.value, line.offset)?),
            // Only the direction is read at session level; other
            // attributes there are not ours to judge.
            b'a' => {
                if let Ok(Attr::Direction(d)) = attribute(line.value, line.offset) {
                    self.direction = Some(d);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

fn media_line<'a>(m: &mut MediaDescription<'a>, line: &Line<'a>) -> Result<(), SdpError> {
    match line.letter {
        b'c' => m.connection = Some(parse_connection(line.value, line.offset)?),
        b'a' => match attribute(line.value, line.offset)? {
            Attr::Direction(d) => m.direction = Some(d),
            Attr::Ptime(p) => m.ptime = Some(p),
            Attr::Rtcp(p) => m.rtcp_port = Some(p),
            Attr::Other => {}
        },
        _ => {}
    }
    Ok(())
}

fn close_region<'a>(media: &mut [MediaDescription<'a>], text: &'a str, start: usize, end: usize) {
    if let Some(m) = media.last_mut() {
        m.attrs = text.get(start..end).unwrap_or("");
    }
}

/// The attributes the parser interprets; everything else is `Other`.
enum Attr {
    Direction(Direction),
    Ptime(u32),
    Rtcp(u16),
    Other,
}

fn attribute(value: &str, offset: usize) -> Result<Attr, SdpError> {
    let bad = SdpError::new(SdpErrorKind::BadAttribute, offset);
    let Some(colon) = crate::sip::lex::find_byte(value.as_bytes(), b':') else {
        return Ok(Direction::from_attr(value).map_or(Attr::Other, Attr::Direction));
    };
    let (name, arg) = (value.get(..colon).unwrap_or(""), value.get(colon + 1..).unwrap_or(""));
    let arg_at = offset + name.len() + 1;
    match name {
        "ptime" => parse_num(arg.trim()).map(Attr::Ptime).ok_or(bad),
        "rtcp" => {
            let (port, port_at) = Fields::new(arg, arg_at).field(SdpErrorKind::BadAttribute)?;
            parse_num(port).map(Attr::Rtcp).ok_or(SdpError::new(SdpErrorKind::BadAttribute, port_at))
        }
        // Validated here so that `MediaDescription::rtpmap` never silently skips a line.
        "rtpmap" => {
            parse_rtpmap(arg).map(|_| Attr::Other).ok_or(SdpError::new(SdpErrorKind::BadAttribute, arg_at))
        }
        _ => Ok(Attr::Other),
    }
}
