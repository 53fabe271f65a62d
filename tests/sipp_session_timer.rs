//! Session timers (RFC 4028) on the real server under SIPp: a caller
//! that refreshes with UPDATE keeps its calls up past the interval; one
//! that stops refreshing gets our BYE before the interval ends, counted
//! as session_expired. A 6 s interval keeps the runs short.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

mod common;
use common::sipp_run::*;

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const FLAGS: [&str; 6] = ["--shards", "2", "--session-expires", "6", "--min-se", "2"];

#[test]
fn calls_refreshed_by_update_outlive_the_interval() {
    let dir = scratch("session_refresh");
    let server = Server::start(&dir, LOOPBACK, &FLAGS);
    let sipp =
        run_sipp(&dir, &server, "uac_session_refresh.xml", &["-m", "5", "-r", "5"], Duration::from_secs(60));
    let summary = server.stop();
    sipp.assert_all_successful(5);
    assert_eq!(summary.total("/messages/requests_in_by_method/UPDATE"), 15, "{}", summary.json);
    assert_eq!(summary.total("/calls/completed"), 5, "{}", summary.json);
    assert_eq!(summary.total("/calls/failed_by_reason/session_expired"), 0, "{}", summary.json);
}

#[test]
fn a_caller_that_stops_refreshing_gets_bye_at_expiry() {
    let dir = scratch("session_silent");
    let server = Server::start(&dir, LOOPBACK, &FLAGS);
    let sipp =
        run_sipp(&dir, &server, "uac_session_silent.xml", &["-m", "5", "-r", "5"], Duration::from_secs(60));
    let summary = server.stop();
    sipp.assert_all_successful(5);
    assert_eq!(summary.total("/calls/failed_by_reason/session_expired"), 5, "{}", summary.json);
    assert_eq!(summary.total("/messages/requests_out_by_method/BYE"), 5, "{}", summary.json);
    assert_eq!(summary.total("/calls/active"), 0, "{}", summary.json);
}
