//! SRTP and SRTCP (RFC 3711) with SDES key material (RFC 4568): the
//! AES_CM_128_HMAC_SHA1_80/_32 and AEAD_AES_128_GCM (RFC 7714) suites.
//! The ciphers are RustCrypto's; this module is the framing: key
//! derivation, packet index and rollover, replay windows, SRTCP index and
//! E flag, MKI, and the `a=crypto` value the SDP layer reads and writes.
//! Key material never shows in Debug output and is wiped on drop.

mod aes_cm;
mod cm_hmac;
mod context;
mod crypto_attribute;
mod error;
mod gcm;
mod kdf;
mod key_params;
mod key_set;
mod master_key;
mod mki;
mod receive;
mod replay;
mod retiring_keys;
mod rollover;
mod session_keys;
mod sources;
mod srtcp_packet;
mod srtp_packet;
mod stream_keys;
mod suite;
#[cfg(test)]
mod test_hex;

pub use context::{SRTP_MAX_TRAILER, SrtpContext};
pub use crypto_attribute::CryptoAttribute;
pub use error::SrtpError;
pub use master_key::{MAX_LIFETIME, MasterKey};
pub use mki::Mki;
pub use replay::REPLAY_WINDOW;
pub use retiring_keys::RETIRING_PACKETS;
pub use sources::MAX_SOURCES;
pub use stream_keys::SrtpKeys;
pub use suite::SrtpSuite;
