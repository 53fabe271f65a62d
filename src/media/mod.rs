//! The RTP relay pool: media threads apart from the shards, each owning
//! its streams' RTP/RTCP sockets, with RTP/RTCP parsing, RFC 3550
//! statistics, SRTP/SRTCP and a lock-free port allocator. A leaf: it knows nothing of
//! SIP.

mod command;
mod config;
mod counters;
mod dtmf;
mod g711;
mod lanes;
mod pool;
mod ports;
mod quality;
mod receiver_stats;
mod relay;
mod rtcp;
mod rtp;
mod srtp;
mod stream;
mod stream_report;
mod stream_rtcp;
mod stream_srtp;
mod worker;

pub use command::{MediaEvent, MediaEventKind, MediaMode, OpenStream, StreamCommand, StreamReport};
pub use config::MediaConfig;
pub use counters::MediaTotals;
pub use dtmf::{DtmfPress, dtmf_digit};
pub use g711::{FRAME_SAMPLES, linear_to_alaw, linear_to_ulaw, tone_frame};
pub use pool::MediaPool;
pub use ports::{PortPool, bind_pair};
pub use quality::estimated_mos;
pub use receiver_stats::ReceiverStats;
pub use rtcp::{ReportBlock, RtcpError, RtcpPacket, parse_rtcp, write_receiver_report};
pub use rtp::{RtpError, RtpHeader, looks_like_rtcp, parse_rtp, rtp_header_len, write_rtp_header};
pub use srtp::{
    CryptoAttribute, MAX_LIFETIME, MAX_SOURCES, MasterKey, Mki, REPLAY_WINDOW, RETIRING_PACKETS,
    SRTP_MAX_TRAILER, SrtpContext, SrtpError, SrtpKeys, SrtpSuite,
};
pub use stream::Stream;
pub use stream_report::SrtpReport;
pub use worker::EventSink;
