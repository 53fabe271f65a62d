//! The checks `build` makes, each naming the field it refuses.

use super::ConfigBuilder;
use crate::engine::error::ConfigError;
use crate::sip::Transport;
use crate::sip::sdp::Codec;

fn refuse(field: &'static str, reason: impl Into<String>) -> Result<(), ConfigError> {
    Err(ConfigError { field, reason: reason.into() })
}

fn is_token_text(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
}

pub(super) fn check(b: &ConfigBuilder) -> Result<(), ConfigError> {
    if let Some(n) = b.shards
        && !(1..=256).contains(&n)
    {
        return refuse("shards", format!("{n} is not in 1..=256"));
    }
    let udp = b.listeners.is_empty() || b.listeners.iter().any(|l| l.0 == Transport::Udp);
    if b.udp.peer.is_some() && (b.shards != Some(1) || !udp) {
        return refuse("udp_peer", "needs shards(1) and a UDP listener");
    }
    let t = &b.timers;
    if t.t1.is_zero() || t.t4.is_zero() {
        return refuse("timers", "T1 and T4 must be more than zero");
    }
    if t.t2 < t.t1 {
        return refuse("timers", "T2 must be at least T1 (RFC 3261 §17.1.2.2)");
    }
    if b.max_calls == 0 {
        return refuse("max_calls", "must be at least 1");
    }
    if b.max_transactions == 0 {
        return refuse("max_transactions", "must be at least 1");
    }
    if !(512..=65_535).contains(&b.limits.max_message_size) {
        return refuse("max_message_size", "must be 512..=65535 bytes (one UDP datagram)");
    }
    if b.limits.max_headers == 0 || b.limits.max_line_len < 64 {
        return refuse("parse_limits", "need at least one header and 64-byte lines");
    }
    if let Some(l) = b.source_limit
        && (l.rate == 0 || l.burst == 0)
    {
        return refuse("source_limit", "rate and burst must be at least 1");
    }
    if b.max_calls_per_source == Some(0) {
        return refuse("max_calls_per_source", "must be at least 1");
    }
    if !(b.policy.reject_percent <= 100 && (300..700).contains(&b.policy.reject_code)) {
        return refuse("policy", "reject_percent must be 0..=100 and reject_code 300..=699");
    }
    if let Some(m) = &b.media {
        if m.ports.0 >= m.ports.1 || m.ports.0 < 1024 {
            return refuse("media.ports", format!("{:?} must be A < B, from 1024 up", m.ports));
        }
        if !(1..=64).contains(&m.threads) {
            return refuse("media.threads", "must be 1..=64");
        }
    }
    if !is_token_text(&b.user_agent) {
        return refuse("user_agent", "must be printable text without line breaks");
    }
    if let Some(h) = &b.contact_host
        && (h.is_empty() || h.bytes().any(|c| !(c.is_ascii_alphanumeric() || b"-.:[]".contains(&c))))
    {
        return refuse("contact_host", format!("{h:?} is not a host name or address"));
    }
    if !b.codecs.iter().any(|c| matches!(c, Codec::Pcmu | Codec::Pcma)) {
        return refuse("codecs", "must include PCMU or PCMA");
    }
    let s = b.uri_schemes;
    if !(s.sip || s.sips || s.tel) {
        return refuse("uri_schemes", "serve at least one of sip, sips and tel");
    }
    if let Some(a) = &b.auth {
        a.check().map_err(|reason| ConfigError { field: "auth", reason })?;
    }
    if let Some(s) = &b.session_timer {
        s.check().map_err(|reason| ConfigError { field: "session_timer", reason })?;
    }
    if b.event_capacity == Some(0) {
        return refuse("event_capacity", "must be at least 1 (or None for no events)");
    }
    if b.defer_timeout.is_zero() {
        return refuse("defer_timeout", "must be more than zero");
    }
    let l = &b.stream_limits;
    if l.max_connections == 0 || l.max_per_source == 0 {
        return refuse("stream_limits", "max_connections and max_per_source must be at least 1");
    }
    if l.idle_timeout.is_zero() || l.message_timeout.is_zero() {
        return refuse("stream_limits", "idle_timeout and message_timeout must be more than zero");
    }
    if l.max_output < 4096 {
        return refuse("stream_limits", "max_output must be at least 4096 bytes");
    }
    let on = |t| b.listeners.iter().find(|(lt, _)| *lt == t).map(|(_, a)| *a);
    if let (Some(tcp), Some(tls)) = (on(crate::sip::Transport::Tcp), on(crate::sip::Transport::Tls))
        && tcp == tls
        && tcp.port() != 0
    {
        return refuse("listen", format!("TCP and TLS cannot share {tcp}: both are TCP listeners"));
    }
    let tls_listener = b.listeners.iter().any(|(t, _)| *t == crate::sip::Transport::Tls);
    if tls_listener && b.tls.as_ref().is_none_or(|t| t.cert_pem.is_none()) {
        return refuse("tls", "listening on TLS needs a certificate and key");
    }
    if let Some(l) = &b.load {
        if let Err(e) = l.call.destination().and_then(|_| l.call.transport()) {
            return refuse("load.call", e.to_string());
        }
        if !(l.rate.is_finite() && l.rate > 0.0) || l.concurrency == 0 || l.cancel_percent > 100 {
            return refuse("load", "rate must be above 0, concurrency at least 1, cancel_percent 0..=100");
        }
    }
    Ok(())
}
