//! The kernel's UDP error counters (Linux /proc/net/snmp and snmp6),
//! read before and after a run for the server's summary.

/// The kernel's UDP counters (Linux /proc/net/snmp and /proc/net/snmp6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct UdpStats {
    /// Datagrams dropped for lack of receive buffer.
    pub rcvbuf_errors: u64,
    /// Datagrams dropped for lack of send buffer.
    pub sndbuf_errors: u64,
    /// All receive errors (includes the buffer errors).
    pub in_errors: u64,
}

impl UdpStats {
    /// Counter growth from `before` to `self`.
    pub fn since(&self, before: &UdpStats) -> UdpStats {
        UdpStats {
            rcvbuf_errors: self.rcvbuf_errors.saturating_sub(before.rcvbuf_errors),
            sndbuf_errors: self.sndbuf_errors.saturating_sub(before.sndbuf_errors),
            in_errors: self.in_errors.saturating_sub(before.in_errors),
        }
    }
}

/// Reads the system-wide UDP error counters (zeros where unavailable).
pub fn read_udp_stats() -> UdpStats {
    let mut s = UdpStats::default();
    if let Ok(text) = std::fs::read_to_string("/proc/net/snmp") {
        let mut lines = text.lines().filter(|l| l.starts_with("Udp:"));
        if let (Some(names), Some(values)) = (lines.next(), lines.next()) {
            for (n, v) in names.split_whitespace().zip(values.split_whitespace()) {
                let v: u64 = v.parse().unwrap_or(0);
                match n {
                    "InErrors" => s.in_errors += v,
                    "RcvbufErrors" => s.rcvbuf_errors += v,
                    "SndbufErrors" => s.sndbuf_errors += v,
                    _ => {}
                }
            }
        }
    }
    if let Ok(text) = std::fs::read_to_string("/proc/net/snmp6") {
        for line in text.lines() {
            let mut it = line.split_whitespace();
            let (Some(n), Some(v)) = (it.next(), it.next()) else { continue };
            let v: u64 = v.parse().unwrap_or(0);
            match n {
                "Udp6InErrors" => s.in_errors += v,
                "Udp6RcvbufErrors" => s.rcvbuf_errors += v,
                "Udp6SndbufErrors" => s.sndbuf_errors += v,
                _ => {}
            }
        }
    }
    s
}
