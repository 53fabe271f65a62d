//! SRTP interop with a real softphone: baresip (Debian's `baresip`
//! package; `scripts/test.sh` installs it) on loopback, headless.
//!
//! * baresip with `mediaenc=srtp-mand` calls `sipbench-server --media echo
//!   --srtp mandatory`: baresip sends a 440 Hz tone (its `ausine` source)
//!   over SRTP, the server authenticates, decrypts, echoes and re-encrypts
//!   it, and baresip's decoder output (its `sndfile` dump) is that 440 Hz
//!   tone again. No side logs a decryption failure.
//! * `sipbench-client --media play --srtp mandatory` calls baresip
//!   (`answermode=auto`): our 400 Hz tone decrypts and decodes on
//!   baresip's side, baresip's tone arrives authenticated on ours.
//!
//! The configuration the test writes (`baresip_config`) is quoted in the
//! README (SRTP section). A missing baresip is a failure, never a skip.

use std::fs;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

mod common;
use common::sipp_run::{Server, free_ports, scratch, tail, wait_with_limit};

const CLIENT_BIN: &str = env!("CARGO_BIN_EXE_sipbench-client");
const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// Authentication failures allowed per call: when baresip ends its
/// stream it sometimes sends its RTCP BYE (reason "Adjo") after its SRTP
/// layer is gone, in plain text, and if it beats our stream's close we
/// drop and count it, as we must. Everything else must authenticate.
const BARESIP_PLAIN_BYE: u64 = 1;

/// baresip's configuration directory: `config` and `accounts` for one
/// account on `127.0.0.1:sip_port`, SRTP mandatory, PCMU, a 440 Hz sine
/// as the microphone, no sound card (the player is an `aubridge` device
/// nobody reads), and the decoded audio dumped as WAV into `snd/`.
fn baresip_config(dir: &Path, sip_port: u16, rtp_ports: &str) -> PathBuf {
    let conf = dir.join("baresip");
    fs::create_dir_all(conf.join("snd")).unwrap();
    let config = format!(
        "poll_method epoll\n\
         sip_listen 127.0.0.1:{sip_port}\n\
         sip_transports udp\n\
         net_interface 127.0.0.1\n\
         rtp_ports {rtp_ports}\n\
         audio_source ausine,440\n\
         ausrc_srate 48000\n\
         ausrc_channels 2\n\
         audio_player aubridge,nobody\n\
         audio_alert aubridge,nobody\n\
         snd_path {snd}\n\
         module_path /usr/lib/baresip/modules\n\
         module stdio.so\n\
         module g711.so\n\
         module ausine.so\n\
         module aubridge.so\n\
         module srtp.so\n\
         module sndfile.so\n\
         module_app account.so\n\
         module_app menu.so\n",
        snd = conf.join("snd").display()
    );
    fs::write(conf.join("config"), config).unwrap();
    let account = "<sip:baresip@127.0.0.1>;regint=0;mediaenc=srtp-mand;audio_codecs=PCMU;answermode=auto\n";
    fs::write(conf.join("accounts"), account).unwrap();
    conf
}

/// Fails the test (never skips it) when baresip is not installed.
fn require_baresip() {
    if Command::new("baresip").arg("-h").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
        panic!("`baresip` is not installed; scripts/test.sh installs it (apt-get install baresip)");
    }
}

/// baresip on `conf`, reading commands from a pipe, output to `out`; it
/// quits by itself after `quit_after` at the latest (`-t`).
fn start_baresip(conf: &Path, out: &Path, quit_after: u64) -> (Child, ChildStdin) {
    require_baresip();
    let mut child = Command::new("baresip")
        .arg("-f")
        .arg(conf)
        .args(["-v", "-t", &quit_after.to_string()])
        .stdin(Stdio::piped())
        .stdout(fs::File::create(out).unwrap())
        .stderr(Stdio::from(fs::File::create(out.with_extension("err")).unwrap()))
        .spawn()
        .expect("spawn baresip");
    let stdin = child.stdin.take().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !fs::read_to_string(out).unwrap_or_default().contains("baresip is ready") {
        assert!(std::time::Instant::now() < deadline, "baresip did not start: {}", tail(out, 2000));
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, stdin)
}

/// Waits for baresip to quit (killed by PID past `limit`); its output
/// with the status line's carriage returns as line breaks.
fn finish_baresip(mut child: Child, out: &Path, limit: Duration) -> String {
    let status = wait_with_limit(&mut child, limit);
    let text = fs::read_to_string(out).unwrap_or_default().replace('\r', "\n");
    assert!(status.is_some(), "baresip did not quit: {}", &text[text.len().saturating_sub(2000)..]);
    text
}

/// The decoded audio baresip dumped (`*-dec.wav`): mono 16-bit samples
/// and the sample rate.
fn decoded_audio(conf: &Path) -> (Vec<i16>, u32) {
    let snd = conf.join("snd");
    let wav = fs::read_dir(&snd)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-dec.wav"))
        .unwrap_or_else(|| panic!("no decoded audio in {}", snd.display()));
    let b = fs::read(wav).unwrap();
    let (mut at, mut rate, mut channels, mut samples) = (12, 0, 1, Vec::new());
    while at + 8 <= b.len() {
        let len = u32::from_le_bytes(b[at + 4..at + 8].try_into().unwrap()) as usize;
        let body = &b[at + 8..(at + 8 + len).min(b.len())];
        match &b[at..at + 4] {
            b"fmt " => {
                channels = u16::from_le_bytes([body[2], body[3]]) as usize;
                rate = u32::from_le_bytes(body[4..8].try_into().unwrap());
            }
            b"data" => {
                let all: Vec<i16> = body.chunks_exact(2).map(|s| i16::from_le_bytes([s[0], s[1]])).collect();
                samples = all.into_iter().step_by(channels.max(1)).collect();
            }
            _ => {}
        }
        at += 8 + len + len % 2;
    }
    (samples, rate)
}

/// Seconds of audio, its RMS and its dominant frequency by zero crossings.
fn tone(samples: &[i16], rate: u32) -> (f64, f64, f64) {
    let secs = samples.len() as f64 / f64::from(rate.max(1));
    let rms =
        (samples.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>() / samples.len().max(1) as f64).sqrt();
    let crossings = samples.windows(2).filter(|w| (w[0] < 0) != (w[1] < 0)).count();
    (secs, rms, crossings as f64 / 2.0 / secs.max(1e-9))
}

fn send(stdin: &mut ChildStdin, command: &str) {
    stdin.write_all(format!("{command}\n").as_bytes()).expect("baresip reads commands");
}

fn no_srtp_failures(baresip: &str) {
    assert!(
        baresip.contains("SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_80)"),
        "baresip did not encrypt: {baresip}"
    );
    assert!(baresip.contains("incoming rtp for 'audio' established"), "baresip received no RTP: {baresip}");
    assert!(!baresip.contains("failed to decrypt"), "baresip failed to decrypt: {baresip}");
    assert!(!baresip.contains("failed to encrypt"), "{baresip}");
}

#[test]
fn baresip_calls_the_server_and_hears_its_own_tone_echoed_over_srtp() {
    let dir = scratch("baresip_to_server");
    let args = ["--media", "echo", "--srtp", "mandatory", "--rtp-ports", "36800-36899", "--shards", "1"];
    let server = Server::start(&dir, LOOPBACK, &args);
    let conf = baresip_config(&dir, free_ports(LOOPBACK).server, "36900-36949");
    let out = dir.join("baresip.out");
    let (child, mut stdin) = start_baresip(&conf, &out, 20);
    send(&mut stdin, &format!("/dial sip:service@{}", server.addr));
    std::thread::sleep(Duration::from_secs(4));
    send(&mut stdin, "/hangup");
    std::thread::sleep(Duration::from_millis(500));
    send(&mut stdin, "/quit");
    let baresip = finish_baresip(child, &out, Duration::from_secs(25));
    let summary = server.stop();
    no_srtp_failures(&baresip);
    let (secs, rms, hz) = {
        let (samples, rate) = decoded_audio(&conf);
        tone(&samples, rate)
    };
    // 4 s of call; a loaded box starts the media late.
    assert!(secs >= 1.0, "{secs} s of echoed audio decoded");
    assert!(
        rms > 3000.0 && (430.0..450.0).contains(&hz),
        "the echo is baresip's 440 Hz tone: rms {rms}, {hz} Hz"
    );
    assert_eq!(summary.media("srtp_streams"), 1, "{}", summary.stdout);
    assert!(summary.media("packets_in") >= 50, "{}", summary.stdout);
    for p in ["srtp_replays", "srtp_unknown_ssrc"] {
        assert_eq!(summary.media(p), 0, "server {p}: {}", summary.stdout);
    }
    assert!(summary.media("srtp_auth_failures") <= BARESIP_PLAIN_BYE, "{}", summary.stdout);
}

#[test]
fn the_client_calls_baresip_over_srtp_and_both_hear_each_other() {
    let dir = scratch("client_to_baresip");
    let sip_port = free_ports(LOOPBACK).server;
    let conf = baresip_config(&dir, sip_port, "36950-36999");
    let out = dir.join("baresip.out");
    let (child, mut stdin) = start_baresip(&conf, &out, 20);
    let report = dir.join("client-report");
    let err = dir.join("client.err");
    let mut client = Command::new(CLIENT_BIN)
        .arg(SocketAddr::new(LOOPBACK, sip_port).to_string())
        .args([
            "--service",
            "baresip",
            "--srtp",
            "mandatory",
            "--media",
            "play",
            "--rtp-ports",
            "36700-36799",
        ])
        .args(["--calls", "1", "--duration-ms", "3000", "--quiet", "--no-pin", "--shards", "1", "--report"])
        .arg(&report)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&err).unwrap())
        .spawn()
        .expect("spawn sipbench-client");
    let status = wait_with_limit(&mut client, Duration::from_secs(20));
    send(&mut stdin, "/quit");
    let baresip = finish_baresip(child, &out, Duration::from_secs(25));
    assert!(status.is_some_and(|s| s.success()), "client: {status:?} {}", tail(&err, 2000));
    let json: Value =
        serde_json::from_str(&fs::read_to_string(report.join("summary.json")).unwrap()).unwrap();
    let n = |p: &str| json.pointer(p).and_then(Value::as_u64).unwrap_or_else(|| panic!("no {p}: {json}"));
    assert_eq!((n("/calls/completed"), n("/media/totals/srtp_streams")), (1, 1), "{json}");
    assert!(n("/media/totals/packets_in") >= 50, "baresip's tone reached us: {json}");
    for p in ["srtp_replays", "srtp_unknown_ssrc", "lost"] {
        assert_eq!(n(&format!("/media/totals/{p}")), 0, "{p}: {json}");
    }
    assert!(n("/media/totals/srtp_auth_failures") <= BARESIP_PLAIN_BYE, "{json}");
    no_srtp_failures(&baresip);
    let (samples, rate) = decoded_audio(&conf);
    let (secs, rms, hz) = tone(&samples, rate);
    assert!(secs >= 1.0, "{secs} s of our audio decoded by baresip");
    assert!(
        rms > 2000.0 && (390.0..410.0).contains(&hz),
        "baresip hears our 400 Hz tone: rms {rms}, {hz} Hz"
    );
}
