//! SDP parser, RFC 3264 negotiation and writer.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use bytes::BytesMut;
use sipbench::sip::sdp::*;

const SIPP: &[u8] = b"v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\n\
c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

const MULTI: &[u8] = b"v=0\r\no=alice 2890844526 2890844527 IN IP4 10.0.0.1\r\ns=call\r\n\
c=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 8 97 101\r\na=rtpmap:97 iLBC/8000\r\n\
a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=rtcp:49171\r\n";

fn sdp(media: &str) -> String {
    format!("v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n{media}")
}

fn local(codecs: &[Codec]) -> LocalMedia {
    LocalMedia {
        codecs: codecs.to_vec(),
        address: IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3)),
        port: 20000,
        session_id: 42,
        session_version: 7,
        username: "sipbench".into(),
        ptime: Some(20),
    }
}

const ALL: &[Codec] = &[Codec::Pcmu, Codec::Pcma, Codec::TelephoneEvent];

fn answer<'a>(offer: &'a str, codecs: &[Codec]) -> Result<Answer<'a>, NegotiateError> {
    negotiate(&parse(offer.as_bytes()).unwrap(), &local(codecs))
}

fn kind(input: &[u8]) -> SdpErrorKind {
    parse(input).unwrap_err().kind
}

#[test]
fn sipp_offer_every_field() {
    let s = parse(SIPP).unwrap();
    let o = s.origin;
    assert_eq!((o.username, o.session_id, o.session_version), ("user1", 53655765, 2353687637));
    assert_eq!((o.net_type, o.addr_type, o.address), ("IN", "IP4", "127.0.0.1"));
    assert_eq!(s.session_name, "-");
    let c = s.connection.unwrap();
    assert_eq!((c.addr_type, c.address), (AddrType::Ip4, "127.0.0.1"));
    assert_eq!(c.ip(), Some(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    assert!(!c.is_null_hold());
    assert_eq!(s.direction, None);
    assert_eq!(s.media.len(), 1);
    let m = &s.media[0];
    assert_eq!((m.media, m.port, m.port_count, m.proto, m.formats), ("audio", 6000, None, "RTP/AVP", "0"));
    assert_eq!((m.connection, m.direction, m.ptime, m.rtcp_port), (None, None, None, None));
    assert_eq!(m.payload_types().collect::<Vec<_>>(), [0]);
    assert_eq!(m.rtpmap(0), Some(RtpMap { encoding: "PCMU", clock_rate: 8000, channels: None }));
    assert_eq!(m.rtpmap(8), None);
    assert_eq!(m.fmtp(0), None);
    assert_eq!(m.effective_direction(&s), Direction::SendRecv);
    assert_eq!(m.effective_connection(&s).unwrap().address, "127.0.0.1");
    assert_eq!(hold_state(&s), HoldState::Active);
}

#[test]
fn multi_codec_offer() {
    let s = parse(MULTI).unwrap();
    let m = &s.media[0];
    assert_eq!(m.port, 49170);
    assert_eq!(m.formats, "0 8 97 101");
    assert_eq!(m.payload_types().collect::<Vec<_>>(), [0, 8, 97, 101]);
    assert_eq!(m.rtpmap(97), Some(RtpMap { encoding: "iLBC", clock_rate: 8000, channels: None }));
    assert_eq!(m.rtpmap(101).unwrap().encoding, "telephone-event");
    assert_eq!(m.rtpmap(0), None);
    assert_eq!(m.fmtp(101), Some("0-15"));
    assert_eq!(m.fmtp(97), None);
    assert_eq!((m.ptime, m.rtcp_port), (Some(20), Some(49171)));
}

#[test]
fn port_count_channels_and_rtcp_address() {
    let text =
        sdp("m=audio 49170/2 RTP/AVP 96\r\na=rtpmap:96 L16/16000/2\r\na=rtcp:53020 IN IP4 1.2.3.4\r\n");
    let s = parse(text.as_bytes()).unwrap();
    let m = &s.media[0];
    assert_eq!((m.port, m.port_count, m.rtcp_port), (49170, Some(2), Some(53020)));
    assert_eq!(m.rtpmap(96), Some(RtpMap { encoding: "L16", clock_rate: 16000, channels: Some(2) }));
}

#[test]
fn ipv6_connection() {
    let s = parse(b"v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 2001:db8::5\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP6 ::1\r\n")
        .unwrap();
    let session_c = s.connection.unwrap();
    assert_eq!(session_c.addr_type, AddrType::Ip6);
    assert_eq!(session_c.ip(), Some("2001:db8::5".parse::<IpAddr>().unwrap()));
    let m = &s.media[0];
    let c = m.effective_connection(&s).unwrap();
    assert_eq!((c.addr_type, c.ip()), (AddrType::Ip6, Some(IpAddr::V6(Ipv6Addr::LOCALHOST))));
    assert!(Connection::new(AddrType::Ip6, "::").is_null_hold());
}

#[test]
fn session_and_media_direction() {
    let text = sdp(
        "a=sendonly\r\nm=audio 1000 RTP/AVP 0\r\nm=audio 1002 RTP/AVP 0\r\na=inactive\r\nm=video 1004 RTP/AVP 31\r\na=recvonly\r\n",
    );
    let s = parse(text.as_bytes()).unwrap();
    assert_eq!(s.direction, Some(Direction::SendOnly));
    assert_eq!(s.media[0].direction, None);
    assert_eq!(s.media[0].effective_direction(&s), Direction::SendOnly);
    assert_eq!(s.media[1].effective_direction(&s), Direction::Inactive);
    assert_eq!(s.media[2].effective_direction(&s), Direction::RecvOnly);
    assert_eq!(hold_state(&s), HoldState::Held);
}

#[test]
fn bare_lf_and_trailing_whitespace() {
    let s = parse(
        b"v=0\no=u 1 2 IN IP4 1.1.1.1  \ns=x\t\nc=IN IP4 1.1.1.1 \nm=audio 7000 RTP/AVP 8 \na=ptime:30\n",
    )
    .unwrap();
    assert_eq!(s.origin.address, "1.1.1.1");
    assert_eq!(s.session_name, "x");
    assert_eq!(s.media[0].formats, "8");
    assert_eq!((s.media[0].port, s.media[0].ptime), (7000, Some(30)));
}

#[test]
fn audio_and_video_with_unknown_lines() {
    let text = sdp(
        "b=AS:64\r\nm=audio 5004 RTP/AVP 0\r\ni=voice\r\na=x-unknown:1\r\nm=video 5006 RTP/AVP 31 34\r\nc=IN IP4 192.0.2.9\r\na=rtpmap:31 H261/90000\r\n",
    );
    let s = parse(text.as_bytes()).unwrap();
    assert_eq!(s.media.len(), 2);
    assert_eq!((s.media[0].media, s.media[0].port), ("audio", 5004));
    assert_eq!((s.media[1].media, s.media[1].port, s.media[1].formats), ("video", 5006, "31 34"));
    assert_eq!(s.media[0].rtpmap(31), None); // attributes stay in their own section
    assert_eq!(s.media[1].rtpmap(31).unwrap().clock_rate, 90000);
    assert_eq!(s.media[1].effective_connection(&s).unwrap().address, "192.0.2.9");
    assert_eq!(s.media[0].effective_connection(&s).unwrap().address, "192.0.2.1");
}

#[test]
fn direction_helpers() {
    use Direction::*;
    assert_eq!(
        [SendRecv, SendOnly, RecvOnly, Inactive].map(Direction::answer),
        [SendRecv, RecvOnly, SendOnly, Inactive]
    );
    assert_eq!(
        [SendRecv, SendOnly, RecvOnly, Inactive].map(Direction::as_attr),
        ["sendrecv", "sendonly", "recvonly", "inactive"]
    );
    assert_eq!([SendRecv, SendOnly, RecvOnly, Inactive].map(Direction::sends), [true, true, false, false]);
    assert_eq!([SendRecv, SendOnly, RecvOnly, Inactive].map(Direction::receives), [true, false, true, false]);
}

/// Issue 26: the answer lists the common codecs in the offer's order
/// (RFC 3264 §6.1), whatever the local preference, with the offer's
/// payload numbers.
#[test]
fn answer_keeps_the_offers_order_and_numbers() {
    let a = answer(std::str::from_utf8(MULTI).unwrap(), &[Codec::Pcma, Codec::Pcmu, Codec::TelephoneEvent])
        .unwrap();
    let m = a.accepted().unwrap();
    assert_eq!(m.formats[..], [(0, Codec::Pcmu), (8, Codec::Pcma), (101, Codec::TelephoneEvent)]);
    let pcma_first = sdp("m=audio 3000 RTP/AVP 101 8 0 8\r\na=rtpmap:101 telephone-event/8000\r\n");
    let a = answer(&pcma_first, ALL).unwrap();
    assert_eq!(
        a.accepted().unwrap().formats[..],
        [(8, Codec::Pcma), (0, Codec::Pcmu), (101, Codec::TelephoneEvent)],
        "voice first, each codec once, telephone-event last"
    );
    assert_eq!(m.port, 20000);
    assert_eq!(m.remote, Some(SocketAddr::from(([10, 0, 0, 1], 49170))));
    assert_eq!((m.direction, a.hold), (Direction::SendRecv, HoldState::Active));
}

#[test]
fn dynamic_pcmu_and_telephone_event_numbers() {
    let offer =
        sdp("m=audio 3000 RTP/AVP 96 100\r\na=rtpmap:96 pcmu/8000\r\na=rtpmap:100 telephone-event/8000\r\n");
    let a = answer(&offer, ALL).unwrap();
    assert_eq!(a.media[0].formats[..], [(96, Codec::Pcmu), (100, Codec::TelephoneEvent)]);
}

#[test]
fn telephone_event_needs_local_support() {
    let a = answer(std::str::from_utf8(MULTI).unwrap(), &[Codec::Pcmu]).unwrap();
    assert_eq!(a.media[0].formats[..], [(0, Codec::Pcmu)]);
}

#[test]
fn no_common_codec() {
    assert_eq!(
        answer(&sdp("m=audio 3000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n"), ALL),
        Err(NegotiateError::NoCommonCodec)
    );
    assert_eq!(
        answer(&sdp("m=audio 3000 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n"), ALL),
        Err(NegotiateError::NoCommonCodec)
    );
    // A static number remapped to another codec does not count as PCMU.
    assert_eq!(
        answer(&sdp("m=audio 3000 RTP/AVP 0\r\na=rtpmap:0 G722/8000\r\n"), ALL),
        Err(NegotiateError::NoCommonCodec)
    );
    assert_eq!(answer(&sdp("m=audio 0 RTP/AVP 0\r\n"), ALL), Err(NegotiateError::NoCommonCodec));
    assert_eq!(NegotiateError::NoCommonCodec.to_string(), "no common codec");
}

#[test]
fn video_refused_with_its_formats() {
    let offer = sdp("m=audio 3000 RTP/AVP 0\r\nm=video 3002 RTP/AVP 31 34\r\n");
    let a = answer(&offer, ALL).unwrap();
    assert_eq!(a.media.len(), 2);
    assert_eq!(a.media[0].port, 20000);
    let v = &a.media[1];
    assert_eq!((v.media, v.port, v.refused_formats), ("video", 0, "31 34"));
    assert!(v.formats.is_empty() && v.remote.is_none());
}

#[test]
fn second_audio_refused() {
    let offer = sdp("m=audio 3000 RTP/AVP 8\r\nm=audio 3002 RTP/AVP 0\r\n");
    let a = answer(&offer, ALL).unwrap();
    assert_eq!((a.media[0].port, a.media[1].port), (20000, 0));
    assert_eq!(a.media[1].refused_formats, "0");
    assert_eq!(a.accepted().unwrap().formats[..], [(8, Codec::Pcma)]);
}

#[test]
fn srtp_refused_then_rtp_accepted() {
    assert_eq!(answer(&sdp("m=audio 3000 RTP/SAVP 0\r\n"), ALL), Err(NegotiateError::NoCommonCodec));
    let offer = sdp("m=audio 3000 RTP/SAVP 0\r\nm=audio 3002 rtp/avp 0\r\n");
    let a = answer(&offer, ALL).unwrap();
    assert_eq!((a.media[0].port, a.media[0].proto), (0, "RTP/SAVP"));
    assert_eq!(a.media[1].port, 20000);
    assert_eq!(a.accepted().unwrap().remote, Some(SocketAddr::from(([192, 0, 2, 1], 3002))));
}

#[test]
fn hold_and_resume_directions() {
    let offer = sdp("m=audio 3000 RTP/AVP 0\r\na=sendonly\r\n");
    let a = answer(&offer, ALL).unwrap();
    assert_eq!((a.media[0].direction, a.hold), (Direction::RecvOnly, HoldState::Held));
    let offer = sdp("m=audio 3000 RTP/AVP 0\r\na=inactive\r\n");
    let a = answer(&offer, ALL).unwrap();
    assert_eq!((a.media[0].direction, a.hold), (Direction::Inactive, HoldState::Held));
    let offer = sdp("m=audio 3000 RTP/AVP 0\r\na=recvonly\r\n");
    let a = answer(&offer, ALL).unwrap();
    assert_eq!((a.media[0].direction, a.hold), (Direction::SendOnly, HoldState::Active));
    let offer = sdp("m=audio 3000 RTP/AVP 0\r\na=sendrecv\r\n");
    let a = answer(&offer, ALL).unwrap();
    assert_eq!((a.media[0].direction, a.hold), (Direction::SendRecv, HoldState::Active));
}

#[test]
fn null_connection_is_rfc2543_hold() {
    let offer = "v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nm=audio 3000 RTP/AVP 0\r\n";
    let a = answer(offer, ALL).unwrap();
    assert_eq!(
        (a.media[0].direction, a.hold, a.media[0].remote),
        (Direction::RecvOnly, HoldState::Held, None)
    );
    // Media-level c= overrides the null session address.
    let with_media_c = format!("{offer}c=IN IP4 192.0.2.7\r\n");
    let a = answer(&with_media_c, ALL).unwrap();
    assert_eq!((a.media[0].direction, a.hold), (Direction::SendRecv, HoldState::Active));
    assert_eq!(a.media[0].remote, Some(SocketAddr::from(([192, 0, 2, 7], 3000))));
}

#[test]
fn hold_state_without_audio_is_active() {
    let text = sdp("a=sendonly\r\nm=video 3000 RTP/AVP 31\r\nm=audio 0 RTP/AVP 0\r\n");
    let s = parse(text.as_bytes()).unwrap();
    assert_eq!(hold_state(&s), HoldState::Active);
}

#[test]
fn answer_round_trips() {
    let offer = sdp(
        "m=audio 3000 RTP/AVP 8 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendonly\r\nm=video 3002 RTP/AVP 31\r\n",
    );
    let a = answer(&offer, ALL).unwrap();
    let mut out = BytesMut::new();
    write_answer(&a, &local(ALL), &mut out);
    let text = std::str::from_utf8(&out).unwrap();
    assert!(text.starts_with(
        "v=0\r\no=sipbench 42 7 IN IP4 10.1.2.3\r\ns=sipbench\r\nc=IN IP4 10.1.2.3\r\nt=0 0\r\n"
    ));
    assert!(
        text.contains("m=audio 20000 RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n")
    );
    assert!(
        text.contains("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=recvonly\r\n")
    );
    assert!(text.ends_with("m=video 0 RTP/AVP 31\r\n"));
    assert!(!text.contains('\n') || text.matches('\n').count() == text.matches("\r\n").count());

    let s = parse(&out).unwrap();
    assert_eq!((s.origin.session_id, s.origin.session_version), (42, 7));
    assert_eq!(s.connection.unwrap().ip(), Some(IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3))));
    let (m, v) = (&s.media[0], &s.media[1]);
    assert_eq!(m.port, 20000);
    assert_eq!(m.payload_types().collect::<Vec<_>>(), [8, 0, 101]);
    assert_eq!(m.rtpmap(8).unwrap().encoding, "PCMA");
    assert_eq!(m.rtpmap(101).unwrap().encoding, "telephone-event");
    assert_eq!(m.fmtp(101), Some("0-16"));
    assert_eq!((m.ptime, m.effective_direction(&s)), (Some(20), Direction::RecvOnly));
    assert_eq!((v.media, v.port, v.formats), ("video", 0, "31"));
}

#[test]
fn answer_ipv6_local_address() {
    let offer = sdp("m=audio 3000 RTP/AVP 0\r\n");
    let a = answer(&offer, ALL).unwrap();
    let mut l = local(ALL);
    l.address = "2001:db8::1".parse().unwrap();
    l.ptime = None;
    let mut out = BytesMut::new();
    write_answer(&a, &l, &mut out);
    let s = parse(&out).unwrap();
    assert_eq!(s.origin.addr_type, "IP6");
    assert_eq!(s.connection.unwrap().addr_type, AddrType::Ip6);
    assert_eq!(s.connection.unwrap().ip(), Some(l.address));
    assert_eq!(s.media[0].ptime, None);
}

#[test]
fn offer_round_trips_with_direction() {
    for dir in [Direction::SendOnly, Direction::SendRecv, Direction::Inactive] {
        let mut out = BytesMut::new();
        write_offer(&local(&[Codec::Pcma, Codec::TelephoneEvent, Codec::Pcmu]), dir, &mut out);
        let s = parse(&out).unwrap();
        let m = &s.media[0];
        assert_eq!((m.media, m.port, m.proto), ("audio", 20000, "RTP/AVP"));
        assert_eq!(m.payload_types().collect::<Vec<_>>(), [8, 101, 0]);
        assert_eq!(m.rtpmap(0).unwrap().encoding, "PCMU");
        assert_eq!(m.fmtp(101), Some("0-16"));
        assert_eq!(m.effective_direction(&s), dir);
    }
}

#[test]
fn malformed_inputs() {
    assert_eq!(kind(b""), SdpErrorKind::MissingVersion);
    assert_eq!(kind(b"o=- 1 2 IN IP4 1.1.1.1\r\ns=-\r\n"), SdpErrorKind::MissingVersion);
    assert_eq!(parse(b"v=1\r\n").unwrap_err(), SdpError { kind: SdpErrorKind::BadVersion, offset: 2 });
    assert_eq!(kind(b"v=0\r\ns=-\r\n"), SdpErrorKind::MissingOrigin);
    assert_eq!(kind(b"v=0\r\no=- 1 2 IN IP4 1.1.1.1\r\n"), SdpErrorKind::MissingSessionName);
    assert_eq!(kind(b"v=0\r\no=- x 2 IN IP4 1.1.1.1\r\ns=-\r\n"), SdpErrorKind::BadOrigin);
    assert_eq!(kind(b"v=0\r\no=- 1 2 IN IP4\r\ns=-\r\n"), SdpErrorKind::BadOrigin);

    let bad_port = sdp("m=audio abc RTP/AVP 0\r\n");
    let err = parse(bad_port.as_bytes()).unwrap_err();
    assert_eq!((err.kind, err.offset), (SdpErrorKind::BadPort, bad_port.find("abc").unwrap()));
    assert_eq!(kind(sdp("m=audio 70000 RTP/AVP 0\r\n").as_bytes()), SdpErrorKind::BadPort);
    assert_eq!(kind(sdp("m=audio 4000/x RTP/AVP 0\r\n").as_bytes()), SdpErrorKind::BadPort);
    assert_eq!(kind(sdp("m=audio 4000 RTP/AVP\r\n").as_bytes()), SdpErrorKind::BadMedia);

    let no_eq = sdp("hello\r\n");
    assert_eq!(parse(no_eq.as_bytes()).unwrap_err().offset, no_eq.find("hello").unwrap());
    assert_eq!(kind(no_eq.as_bytes()), SdpErrorKind::BadLine);
    let nul = b"v=0\r\no=- 1 2 IN IP4 1.1.1.1\r\ns=a\0b\r\n";
    assert_eq!(parse(nul).unwrap_err(), SdpError { kind: SdpErrorKind::BadLine, offset: 32 });
    assert_eq!(
        parse(b"v=0\r\ns=\xff\xfe\r\n").unwrap_err(),
        SdpError { kind: SdpErrorKind::InvalidUtf8, offset: 7 }
    );
    assert_eq!(kind(b"v=0\r\no=- 1 2 IN IP4 1.1.1.1\r\ns=-\r\nc=IN\r\n"), SdpErrorKind::BadConnection);
    assert_eq!(kind(sdp("c=IN IP5 1.1.1.1\r\n").as_bytes()), SdpErrorKind::BadConnection);
    let err = parse(b"v=1\r\n").unwrap_err();
    assert_eq!(err.to_string(), "unsupported SDP version at byte 2");
}

/// Issue 26: what is wrong inside a media section (a known attribute or
/// its c=) is noted on the section, not fatal to the parse; only an
/// answer that would use the section refuses it (400 in the core), and a
/// declined section is not read at all (RFC 4475 §3.1.1.3: `a=rtpmap:31
/// LPC` on a video line). A session-level attribute we do not read is
/// ignored.
#[test]
fn malformed_media_refuses_only_the_stream_we_use() {
    for bad in ["a=ptime:x", "a=rtcp:99999", "a=rtpmap:0 PCMU", "c=IN IP5 1.1.1.1"] {
        let text = sdp(&format!("m=audio 1 RTP/AVP 0\r\n{bad}\r\n"));
        let s = parse(text.as_bytes()).unwrap_or_else(|e| panic!("{bad}: {e}"));
        let at = s.media[0].malformed.unwrap_or_else(|| panic!("{bad} not noted"));
        let line = text.find(bad).unwrap();
        assert!((line..line + bad.len()).contains(&at), "{bad}: the offset {at} lies in its line");
        assert!(matches!(answer(&text, ALL), Err(NegotiateError::MalformedMedia(_))), "{bad}");
        // The same fault on a declined video line: answered, video refused.
        let text = sdp(&format!("m=audio 1 RTP/AVP 0\r\nm=video 3 RTP/AVP 31\r\n{bad}\r\n"));
        let a = answer(&text, ALL).unwrap_or_else(|e| panic!("{bad}: {e}"));
        assert_eq!((a.media[0].port, a.media[1].port), (20000, 0), "{bad}");
    }
    let esc01_style = sdp("m=audio 3456 RTP/AVP 0 12\r\nm=video 3227 RTP/AVP 31\r\na=rtpmap:31 LPC\r\n");
    assert_eq!(answer(&esc01_style, ALL).unwrap().accepted().unwrap().formats[..], [(0, Codec::Pcmu)]);
    let session_attr = sdp("a=rtpmap:0 PCMU\r\na=ptime:x\r\nm=audio 1 RTP/AVP 0\r\n");
    assert!(answer(&session_attr, ALL).is_ok());
}

#[test]
fn too_many_media() {
    let ok = sdp(&"m=audio 0 RTP/AVP 0\r\n".repeat(MAX_MEDIA));
    assert_eq!(parse(ok.as_bytes()).unwrap().media.len(), 16);
    let over = sdp(&"m=audio 0 RTP/AVP 0\r\n".repeat(MAX_MEDIA + 1));
    assert_eq!(kind(over.as_bytes()), SdpErrorKind::TooManyMedia);
}

#[test]
fn prefixes_and_mutations_never_panic() {
    for input in [SIPP, MULTI] {
        for end in 0..=input.len() {
            let _ = parse(&input[..end]).map(|s| negotiate(&s, &local(ALL)));
        }
        let mut buf = input.to_vec();
        for pos in (0..input.len()).step_by(3) {
            for byte in [0u8, b'\r', b'\n', b' ', b'=', b'/', b':', b'9', 0x80, 0xff] {
                buf[pos] = byte;
                let _ = parse(&buf).map(|s| negotiate(&s, &local(ALL)));
                buf[pos] = input[pos];
            }
        }
    }
}
