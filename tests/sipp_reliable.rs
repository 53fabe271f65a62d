//! Reliable provisionals and transfer against real SIPp (RFC 3262, RFC
//! 3515): a SIPp UAC with Supported: 100rel PRACKs the server's reliable
//! 183 (early media), with and without loss of the 183 and the PRACK;
//! SIPp as transferor REFERs an embedded engine, which calls the target
//! and NOTIFYs the outcome. (Our client against SIPp's reliable 180 is in
//! `sipbench_client.rs`.)

mod common;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use common::sipp_run::{Server, free_ports, run_sipp, scratch};
use sipbench::{
    CallHandle, CallHandler, Config, Decision, Engine, EventKind, IncomingCall, IncomingRefer, OutgoingCall,
    ReferDecision,
};

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// 40 calls with reliable early media; with `loss`, SIPp loses that
/// share of the 183s it receives and of the PRACKs it sends, and resends
/// a PRACK for as long as Timer F allows. A 183 is resent on its own
/// timer and for each INVITE SIPp resends meanwhile, so neither a call
/// that loses every copy nor a run that loses nothing at all comes by
/// chance.
fn reliable_early_media(test: &str, loss: &str) {
    let dir = scratch(test);
    let server = Server::start(&dir, LOOPBACK, &["--early-media", "--ring-ms", "200"]);
    let extra = ["-m", "40", "-r", "20", "-d", "200", "-lost", loss, "-max_non_invite_retrans", "10"];
    let sipp = run_sipp(&dir, &server, "uac_100rel.xml", &extra, Duration::from_secs(60));
    let summary = server.stop();
    sipp.assert_all_successful(40);
    assert_eq!(summary.total("/calls/completed"), 40, "{}", summary.stdout);
    if loss != "0" {
        let lost = sipp.count("_183_Lost") + sipp.count("_PRACK_Lost");
        assert!(lost > 0, "nothing was lost: {}", sipp.screen);
    }
}

#[test]
fn sipp_pracks_the_servers_reliable_183() {
    reliable_early_media("sipp_100rel", "0");
}

#[test]
fn the_reliable_183_and_the_prack_lost_by_sipp() {
    reliable_early_media("sipp_100rel_lossy", "20");
}

/// Answers every call; takes every REFER.
#[derive(Clone)]
struct Transferee;

impl CallHandler for Transferee {
    fn on_incoming(&mut self, _call: &IncomingCall<'_>) -> Decision {
        Decision::accept()
    }

    fn on_refer(&mut self, _call: CallHandle, _refer: &IncomingRefer<'_>) -> ReferDecision {
        ReferDecision::Accept
    }
}

#[test]
fn sipp_refers_the_engine_and_reads_its_notifies() {
    let dir = scratch("sipp_refer");
    let ports = free_ports(LOOPBACK);
    let addr = SocketAddr::new(LOOPBACK, ports.server);
    let cfg = Config::builder().listen(addr).shards(2).pin(false).build().unwrap();
    let engine = Engine::start(cfg, Transferee).unwrap();
    // The target the REFERs name: another engine that answers.
    let target_cfg = Config::builder().listen("127.0.0.1:0".parse().unwrap()).pin(false).build().unwrap();
    let target = Engine::start(target_cfg, Transferee).unwrap();
    let target_port = target.local_addr().port().to_string();
    let (rx, control) = (engine.events(), engine.control());
    // The application's side: each REFER's target called on its behalf,
    // hung up by itself a little later.
    let app = std::thread::spawn(move || {
        let mut referred = 0;
        while let Ok(e) = rx.recv_timeout(Duration::from_secs(20)) {
            if let EventKind::Referred { target, referred_by } = &e.kind {
                let call = OutgoingCall::new(target)
                    .referred(e.call, referred_by.as_deref())
                    .hang_up_after(Duration::from_millis(200));
                control.place_call(call).wait().expect("the referred call is placed");
                referred += 1;
                if referred == 5 {
                    break;
                }
            }
        }
        referred
    });
    let server = Server { child: None, dir: dir.clone(), addr, ports };
    let extra = ["-m", "5", "-r", "5", "-key", "target_port", &target_port];
    let sipp = run_sipp(&dir, &server, "uac_refer.xml", &extra, Duration::from_secs(60));
    assert_eq!(app.join().unwrap(), 5);
    sipp.assert_all_successful(5);
    let stats = target.shutdown(Duration::from_secs(5));
    engine.shutdown(Duration::from_secs(5));
    assert_eq!(stats.total.core.calls_answered, 5, "the target answered each referred call");
}
