//! What the two binaries (`sipbench-server`, `sipbench-client`) share
//! beyond the engine: the flags both take, the run loop with its live
//! progress line and per-second samples, logging setup, signal handling,
//! the Prometheus endpoint and the kernel's UDP counters.
//!
//! Behind the default `cli` feature: an embedder that builds with
//! `default-features = false` gets the engine without clap, plotters,
//! serde_json or tracing-subscriber. Not part of the engine's API.

mod args;
mod conn_report;
mod media_report;
mod metrics_http;
mod open_files;
mod run;
mod signals;
mod transport_args;
mod udp_stats;

pub use args::{CommonArgs, MediaArg};
pub use conn_report::{connections_json, connections_metrics, connections_progress, connections_text};
pub use media_report::{media_summary_text, srtp_text};
pub use metrics_http::{exposition, serve_metrics};
pub use open_files::{ensure_open_files, raise_open_files};
pub use run::{Run, Watched, watch};
pub use signals::{install_signal_handlers, signalled};
pub use transport_args::{TransportArgs, listen_arg, read_pem};
pub use udp_stats::{UdpStats, read_udp_stats};

/// Logs to stderr at `level` (`error|warn|info|debug|trace`, or a
/// tracing filter directive).
pub fn init_logging(level: &str) {
    tracing_subscriber::fmt().with_env_filter(level).with_writer(std::io::stderr).init();
}
