//! `scripts/rtp-load.sh --srtp`, the SRTP relay benchmark, on a small
//! load: it builds, relays every paced packet plain and then over SRTP
//! (each echo authenticated by the client), and writes the ratio of the
//! media thread's CPU per packet with both runs' JSON and .hgrm reports.

use std::path::Path;

#[test]
fn rtp_load_script_srtp_quick_run_reports_both_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = std::env::temp_dir().join(format!("sipbench-rtp-load-srtp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&report);
    let status = std::process::Command::new("bash")
        .arg(root.join("scripts/rtp-load.sh"))
        .args(["--streams", "40", "--seconds", "1", "--blast-seconds", "0", "--ports", "20900-20999"])
        .args(["--srtp", "AEAD_AES_128_GCM"])
        .arg("--report")
        .arg(&report)
        .current_dir(root)
        .status()
        .expect("run rtp-load.sh");
    assert!(status.success(), "rtp-load.sh --srtp failed: {status}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report.join("rtp_load.json")).unwrap()).unwrap();
    let sent = doc["paced"]["sent"].as_u64().unwrap();
    assert!(sent >= 40 * 40, "{sent} plain packets in a 1 s paced phase of 40 streams");
    let srtp = &doc["srtp"];
    assert_eq!(srtp["suite"].as_str(), Some("AEAD_AES_128_GCM"));
    let srtp_sent = srtp["paced"]["sent"].as_u64().unwrap();
    assert!(srtp_sent >= 40 * 40, "{srtp_sent} SRTP packets: the same load");
    assert_eq!(srtp["paced"]["echoed"].as_u64(), Some(srtp_sent), "every SRTP echo came back");
    assert_eq!(srtp["paced"]["client_auth_failures"].as_u64(), Some(0), "and authenticated");
    assert_eq!(srtp["paced"]["srtp_drops"].as_u64(), Some(0));
    assert!(srtp["cpu_per_packet_ratio"].as_f64().unwrap() > 0.0);
    for name in ["echo_latency.hgrm", "srtp_echo_latency.hgrm"] {
        let hgrm = std::fs::read_to_string(report.join(name)).unwrap();
        assert!(!sipbench::metrics::parse_percentile_distribution(&hgrm).is_empty(), "{name}");
    }
}
